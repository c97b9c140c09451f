/*
 * web_forms.h - the person forms shared by registration and the member
 * pages (page_register.c), and household helpers (page_household.c).
 */
#ifndef SWS_POS_WEB_WEB_FORMS_H
#define SWS_POS_WEB_WEB_FORMS_H

#include "cases/household.h"
#include "pos/web/web_int.h"

/* Load the household of the first path piece; 1 when a 404 page was
 * written, -1 on failure. Release *h when 0. */
int web_load_household(struct web_req *r, struct household *h);
/* Answer 404 with zMsg (a fixed text; NULL: no case among those the
 * officer may see) unless the officer may see the
 * cases of household zRegno (cases/access.h): 0 when they may, 1 when the
 * 404 page was written, -1 on failure. Not confirming that a case exists,
 * it answers as for a record that does not. (page_case.c) */
int web_case_hidden(struct web_req *r, const char *zRegno, const char *zMsg);
/* web_load_household, and 404 unless the officer may see its cases. */
int web_load_case_household(struct web_req *r, struct household *h);
/* The "done=..." message of a page reached by a redirect. */
void web_done_notice(struct web_req *r);

/*
 * A member's form: to change member m of h (m not NULL), else to add one
 * to h. Values come from m, or from the posted form when bPosted.
 */
void web_member_form(struct web_req *r, const struct household *h,
                     const struct member *m, int bPosted);
/*
 * Read a person from the form fields zPrefix + "name", "sex", "born",
 * "rel", "nid", "phone", "disability" (strings borrowed from the request).
 * SWS_EINVAL names what is missing.
 */
int web_member_input(struct web_req *r, const char *zPrefix,
                     struct member_input *out, int bRelRequired,
                     struct sws_err *err);
/*
 * The possible duplicates beside the person or family being registered,
 * each with its reasons and a link to open it, then a form that sends
 * everything again with a reason to register anyway.
 */
void web_dup_compare(struct web_req *r, const struct dedup_list *dups,
                     int bMember);

#endif
