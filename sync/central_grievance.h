/*
 * central_grievance.h - grievances at the registry: the queue of each
 * layer above the office (district, province, national) for its area,
 * and what a layer does with a grievance waiting there (acknowledge,
 * answer, escalate, and the daily escalation of those past their
 * deadline). Each step is a grievance event fed to the office that took
 * the ticket, whose state machine applies it (cases/grievance.c).
 *
 * Where a grievance is: the registry replays every event of the
 * grievance it holds (the office's, pushed, and its own) through the
 * office's fold and rules (cases_grievance_fold, the built-in grievance
 * configuration); see docs/decisions.md.
 */
#ifndef SWS_SYNC_CENTRAL_GRIEVANCE_H
#define SWS_SYNC_CENTRAL_GRIEVANCE_H

#include "sync/central.h"

/* One grievance in a layer's queue. Strings are valid during the
 * callback only; "" when unknown. */
struct central_grievance_row {
  const char *zTicket;
  const char *zId;     /* the grievance's UUID */
  const char *zOffice; /* the office that took it */
  const char *zArea;   /* the area it is placed by: the office's
                          district or commune, else the household's
                          village; "" if neither is known */
  const char *zDistrict, *zDistrictName; /* of zArea */
  const char *zProvince, *zProvinceName;
  const char *zCategory;
  int sensitive;       /* a sensitive category (or one the registry
                          does not know): zText is NULL */
  const char *zText;   /* the complaint, NULL when sensitive */
  const char *zLayer;  /* where it is now */
  const char *zStatus; /* escalated, acknowledged, under-review (and
                          answered, closed with bAll) */
  const char *zReceivedAt;
  const char *zDue; /* the deadline at its layer (YYYY-MM-DD) */
  int daysOverdue;  /* days past zDue, 0 if not past */
};

/*
 * The queue of layer zLayer (district, province or national): the
 * grievances escalated there and not answered (bAll: those answered or
 * closed there too), of area zArea (a district for the district layer, a
 * province for the province layer; NULL: every area; the national layer
 * takes none), due first (those without a deadline last). fn gets each
 * row in that order and returns non-zero to stop. SWS_EINVAL for a wrong
 * layer or area, with what to give.
 */
int central_grievance_list(struct central *c, const char *zLayer,
                           const char *zArea, int bAll,
                           int (*fn)(const struct central_grievance_row *,
                                     void *),
                           void *arg, struct sws_err *err);

/*
 * Record step zEvent (acknowledged, escalated or answered) of layer
 * zLayer (district, province, national) on grievance zTicket, which must
 * be waiting at that layer: refused (SWS_ECONFLICT, saying where it is)
 * when it is elsewhere, already answered or closed, or the state machine
 * does not allow the step; SWS_ENOTFOUND for an unknown ticket. An
 * escalation moves it to the layer above zLayer (none above national).
 * zText: the answer (required), the reason for escalating (optional).
 * The event is stored, fed to the office and logged in one transaction.
 */
int central_grievance_event(struct central *c, const char *zTicket,
                            const char *zEvent, const char *zLayer,
                            const char *zText, struct sws_err *err);

/* What escalate-due did (or, dry, would do) with one grievance. zTo is
 * NULL when it is at the top layer: overdue with nowhere to go. */
struct central_grievance_due {
  const char *zTicket, *zOffice, *zFrom, *zTo, *zDue;
  int daysOverdue;
};

/*
 * Move every grievance waiting past its deadline at the district or
 * province layer one layer up, with the deadline of the layer it reaches
 * (the office's rules); those overdue at the national layer stay and are
 * only reported. bDry: change nothing, report what would move. fn (NULL:
 * none) gets each; *pMoved and *pStuck count them. One transaction per
 * grievance; a second run the same day moves nothing.
 */
int central_grievance_escalate_due(
    struct central *c, int bDry,
    int (*fn)(const struct central_grievance_due *, void *), void *arg,
    int *pMoved, int *pStuck, struct sws_err *err);

/*
 * Set the area office zOffice serves: zArea a district or commune of the
 * registry's areas (SWS_EINVAL otherwise, SWS_ENOTFOUND for an office not
 * enrolled; a device of an office is refused: set its office's).
 */
int central_office_area_set(struct central *c, const char *zOffice,
                            const char *zArea, struct sws_err *err);

/* Check that zArea can be an office's area (as central_office_area_set
 * does) without setting it: for a command that enrols an office with
 * its area, before enrolling. */
int central_office_area_check(struct central *c, const char *zArea,
                              struct sws_err *err);

#endif
