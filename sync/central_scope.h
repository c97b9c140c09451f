/*
 * central_scope.h - what a registry web UI account may see and decide
 * (need-to-know by area). A national account: everything. A province or
 * district account: the duplicates whose households (either side) are in
 * its area (a household's village, walked up the registry's `area`
 * tree), the offices of its area (those holding a household there), the
 * sync conflicts raised by those offices, and nothing else: a record out
 * of scope is "not found", exactly as one that does not exist, so an
 * address typed by hand learns nothing.
 *
 * Every listing and decision of the UI goes through these functions, and
 * each decision through the same function as the command line
 * (central_merge, central_dismiss...: audited, fed to the offices).
 */
#ifndef SWS_SYNC_CENTRAL_SCOPE_H
#define SWS_SYNC_CENTRAL_SCOPE_H

#include "sync/central.h"
#include "sync/central_pair.h"

struct central_scope {
  int bAll;       /* national: the whole registry */
  char zArea[33]; /* the area's code ("" for national) */
  char **azUnder; /* the area and every area under it, sorted */
  int nUnder;
  char **azOffice; /* offices of the area, sorted */
  int nOffice;
  char zLayer[12]; /* its grievance queue's layer: national, province or
                      district ("" for an area of another level) */
};

/* The scope of area zArea (NULL or "": national) into *out; release it
 * with central_scope_release. */
int central_scope_open(struct central *c, const char *zArea,
                       struct central_scope *out, struct sws_err *err);
void central_scope_release(struct central_scope *sc);

/* 1 if area (a village...) zCode is in the scope. */
int central_scope_has_area(const struct central_scope *sc, const char *zCode);
/* 1 if office (or device) zCode is an office of the scope. */
int central_scope_has_office(struct central *c, const struct central_scope *sc,
                             const char *zCode);

/* central_duplicates (open ones, or all), of the scope only. */
int central_scope_duplicates(
    struct central *c, const struct central_scope *sc, int bAll,
    int (*fn)(int64_t id, const struct central_household *a,
              const struct central_household *b, double score,
              const char *zReasons, const char *zStatus, void *),
    void *arg, struct sws_err *err);
/* Households A and B side by side (central_pair_get), when the registry
 * has them as a pair and one of them is in the scope; SWS_ENOTFOUND
 * otherwise. */
int central_scope_pair(struct central *c, const struct central_scope *sc,
                       const char *zA, const char *zB, struct central_pair *out,
                       struct sws_err *err);

/* The decisions on pair A B, each once central_scope_pair found it:
 * same family (merge B into A), undo it (unmerge B), different families
 * (dismiss, with why), undo that (reopen). */
int central_scope_merge(struct central *c, const struct central_scope *sc,
                        const char *zA, const char *zB, struct sws_err *err);
int central_scope_unmerge(struct central *c, const struct central_scope *sc,
                          const char *zA, const char *zB, struct sws_err *err);
int central_scope_dismiss(struct central *c, const struct central_scope *sc,
                          const char *zA, const char *zB, const char *zReason,
                          struct sws_err *err);
int central_scope_reopen(struct central *c, const struct central_scope *sc,
                         const char *zA, const char *zB, struct sws_err *err);

/* The offices (the devices of each, office first) of the scope. */
int central_scope_offices(struct central *c, const struct central_scope *sc,
                          int (*fn)(const struct central_office *, void *),
                          void *arg, struct sws_err *err);
/* One office or device of the scope (SWS_ENOTFOUND otherwise). */
int central_scope_office(struct central *c, const struct central_scope *sc,
                         const char *zCode, struct central_office *out,
                         struct sws_err *err);

/* central_conflicts raised by the scope's offices. */
int central_scope_conflicts(struct central *c, const struct central_scope *sc,
                            int bAll,
                            int (*fn)(const struct central_conflict *k,
                                      const char *zRegno, void *),
                            void *arg, struct sws_err *err);
/* central_conflict_resolve of a conflict of the scope (SWS_ENOTFOUND for
 * another's). */
int central_scope_resolve(struct central *c, const struct central_scope *sc,
                          int64_t id, int bUseOffice, const char *zNote,
                          struct sws_err *err);

/* The grievances waiting in the scope's queue (bAll: those answered or
 * closed there too), due first (central_grievance_list). */
struct central_grievance_row;
int central_scope_grievances(struct central *c, const struct central_scope *sc,
                             int bAll,
                             int (*fn)(const struct central_grievance_row *,
                                       void *),
                             void *arg, struct sws_err *err);
/* Step zEvent (acknowledged, answered, escalated) of the scope's layer on
 * grievance zTicket, when it waits in the scope's queue (SWS_ENOTFOUND
 * otherwise): central_grievance_event. */
int central_scope_grievance_step(struct central *c,
                                 const struct central_scope *sc,
                                 const char *zTicket, const char *zEvent,
                                 const char *zText, struct sws_err *err);

#endif
