/*
 * page_extra.c - the sections and pages of modules that are not in the
 * tree yet (assessments, programmes and enrolment, receipts): the hooks
 * the household and case pages call, doing nothing until those land.
 */
#include "pos/web/web_forms.h"

struct case_info;

void web_household_extra(struct web_req *r, const struct household *h);
void web_case_extra(struct web_req *r, const struct household *h,
                    const struct case_info *ci);

void web_household_extra(struct web_req *r, const struct household *h)
{
  (void)r;
  (void)h;
}

void web_case_extra(struct web_req *r, const struct household *h,
                    const struct case_info *ci)
{
  (void)r;
  (void)h;
  (void)ci;
}

static int not_yet(struct web_req *r)
{
  return web_message_page(r, 404, N_("Not found"),
                          N_("Assessments are not available in this "
                             "version."));
}

int page_assessment_new(struct web_req *r) { return not_yet(r); }
int page_assessment_new_post(struct web_req *r) { return not_yet(r); }
int page_assessment(struct web_req *r) { return not_yet(r); }
