/*
 * actions.c - the words the records keep in English codes, as pages show
 * them in the officer's language: the audit log's actions (the names
 * cases_op_begin records, such as "household.register"), one phrase each,
 * and the names of states (grievance, referral, enrolment, case, plan,
 * member, household, duplicate pair, sync conflict). The detail of an
 * audit row is shown as recorded: it is data (numbers, names, codes), and
 * the log is sealed.
 */
#include <string.h>

#include "pos/web/web_int.h"

static const struct {
  const char *zAction;
  const char *zText;
} ACTIONS[] = {
    {"household.register", N_("household registered")},
    {"household.import", N_("household imported")},
    {"household.edit", N_("household details changed")},
    {"household.deactivate", N_("household deactivated")},
    {"household.reactivate", N_("household reactivated")},
    {"member.add", N_("member added")},
    {"member.edit", N_("member details changed")},
    {"member.move", N_("member moved to another household")},
    {"case.open", N_("case opened")},
    {"case.assign", N_("case assigned")},
    {"case.note", N_("case note written")},
    {"case.close", N_("case closed")},
    {"plan.goal", N_("plan goal added")},
    {"plan.goal.status", N_("plan goal changed")},
    {"plan.action", N_("plan action added")},
    {"plan.action.status", N_("plan action changed")},
    {"referral.add", N_("referral written")},
    {"referral.send", N_("referral sent")},
    {"referral.accept", N_("referral accepted")},
    {"referral.decline", N_("referral declined")},
    {"referral.complete", N_("referral completed")},
    {"referral.cancel", N_("referral cancelled")},
    {"referral.remote", N_("referral news from the provider")},
    {"grievance.add", N_("grievance received")},
    {"grievance.acknowledge", N_("grievance acknowledged")},
    {"grievance.review", N_("grievance under review")},
    {"grievance.escalate", N_("grievance escalated")},
    {"grievance.answer", N_("grievance answered")},
    {"grievance.close", N_("grievance closed")},
    {"grievance.appeal", N_("grievance appealed")},
    {"grievance.remote", N_("grievance news from a higher layer")},
    {"assessment.add", N_("assessment recorded")},
    {"enrolment.apply", N_("applied to a programme")},
    {"enrolment.decide", N_("programme application decided")},
    {"duplicate.decide", N_("possible duplicate decided")},
    {"duplicate.merge_answer", N_("registry's answer on a merge")},
    {"sync.record", N_("changed by the registry")},
    {"sync.resolve", N_("sync conflict resolved")},
};

const char *web_action_text(const struct web_req *r, const char *zAction)
{
  for (size_t i = 0; i < sizeof ACTIONS / sizeof ACTIONS[0]; i++)
    if (strcmp(ACTIONS[i].zAction, zAction) == 0)
      return _(r, ACTIONS[i].zText);
  return zAction;
}

/* Every state a record of either database may be in (the CHECKs of
 * schema/office and schema/central), so that each has a msgid. */
/* clang-format off */
static const char *const STATES[] = {
    /* grievance (and its layers) */
    N_("received"), N_("acknowledged"), N_("under-review"), N_("escalated"),
    N_("answered"), N_("closed"), N_("appealed"), N_("village"),
    N_("commune"), N_("district"), N_("province"), N_("national"),
    /* referral */
    N_("pending"), N_("sent"), N_("accepted"), N_("declined"),
    N_("completed"), N_("cancelled"),
    /* enrolment */
    N_("applied"), N_("approved"), N_("rejected"),
    /* case, plan goal, plan action */
    N_("open"), N_("achieved"), N_("dropped"), N_("planned"),
    N_("in-progress"), N_("done"),
    /* household, member */
    N_("active"), N_("inactive"), N_("left"), N_("deceased"),
    /* duplicate pairs (office, registry), sync conflicts */
    N_("same"), N_("different"), N_("merged"), N_("dismissed"),
    N_("resolved"),
};
/* clang-format on */

const char *web_state_text(const struct web_req *r, const char *zState)
{
  for (size_t i = 0; i < sizeof STATES / sizeof STATES[0]; i++)
    if (strcmp(STATES[i], zState) == 0)
      return _(r, STATES[i]);
  return zState;
}
