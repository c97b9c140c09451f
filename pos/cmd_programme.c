/*
 * cmd_programme.c - sws programme load|list, sws screen, sws enrol and
 * sws enrolment decide|list: the programme catalogue, offline eligibility
 * screening and enrolment applications.
 */
#include <stdlib.h>
#include <string.h>

#include "cases/access.h"
#include "cases/langtext.h"
#include "cases/programme.h"
#include "core/mem.h"
#include "core/text.h"
#include "pos/cli.h"

static const char zLoadUsage[] =
    "usage: sws programme load FILE\n"
    "\n"
    "Load the programme catalogue (JSON; the format is in\n"
    "docs/assessment-and-programmes.md): each programme's agency, its\n"
    "guarantee of ILO Recommendation 202 (health, children, working-age,\n"
    "older-persons), whether households or members apply, its eligibility\n"
    "rules and the documents needed. Everything is checked first; a wrong\n"
    "programme or rule is named and nothing is loaded. Programmes missing\n"
    "from the new catalogue become inactive (never deleted). The catalogue's\n"
    "version must go up with each change; the same file again changes\n"
    "nothing.\n";

static int cmd_programme_load(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  struct programme_load_report rep;
  char *z = NULL;
  size_t n;
  int rc;
  if (argc != 2)
    return cli_usage(cli, "give one file");
  if (cli_read_file(argv[1], CATALOGUE_MAX_BYTES, &z, &n, &err) != 0)
    return cli_fail(&err);
  if ((rc = cli_open(cli)) == 0) {
    if (cases_programme_load(cli->ctx, z, n, &rep, &err) != 0)
      rc = cli_fail(&err);
    else if (rep.bUnchanged)
      printf("catalogue version %d is already loaded; nothing changed\n",
             rep.version);
    else
      printf("catalogue version %d loaded: %d programmes (%d new, %d "
             "changed, %d made inactive)\n", rep.version, rep.nProgrammes,
             rep.nNew, rep.nChanged, rep.nRetired);
  }
  free(z);
  return rc;
}

static json_t *programme_json(const struct programme *p)
{
  json_t *rules = json_array(), *docs = json_array();
  for (int i = 0; i < p->nRule; i++)
    json_array_append_new(rules, json_pack("{s:s, s:s}", "if",
                                           rule_text(p->aRule[i].pIf),
                                           "explain", p->aRule[i].zExplain));
  for (int i = 0; i < p->nDoc; i++)
    json_array_append_new(docs, json_string(p->azDoc[i]));
  return json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:i, s:o, s:o}", "code",
                   p->zCode, "name", p->zName, "agency", p->zAgency,
                   "guarantee", p->zGuarantee, "level",
                   p->bMember ? "member" : "household", "active", p->active,
                   "catalogue_version", p->catalogue_version, "rules", rules,
                   "documents", docs);
}

static void print_docs(const struct programme *p, const char *zIndent)
{
  if (p->nDoc == 0)
    return;
  printf("%sdocuments: ", zIndent);
  for (int i = 0; i < p->nDoc; i++)
    printf("%s%s", i ? "; " : "", p->azDoc[i]);
  putchar('\n');
}

static int list_one(const struct programme *p, void *arg)
{
  json_t *arr = arg;
  if (arr) {
    json_array_append_new(arr, programme_json(p));
    return 0;
  }
  printf("%s - %s%s\n", p->zCode, p->zName, p->active ? "" : " (INACTIVE)");
  printf("    %s; guarantee %s; %s\n", p->zAgency, p->zGuarantee,
         p->bMember ? "each member applies" : "the household applies");
  for (int i = 0; i < p->nRule; i++)
    printf("    if %s\n        (%s)\n", rule_text(p->aRule[i].pIf),
           p->aRule[i].zExplain);
  print_docs(p, "    ");
  return 0;
}

static const char zListUsage[] =
    "usage: sws programme list [--all] [--json]\n"
    "\n"
    "List the programmes of the catalogue with their agency, guarantee,\n"
    "level, eligibility rules and documents; --all includes inactive ones.\n"
    "--json prints an array of {code, name, agency, guarantee, level,\n"
    "active, catalogue_version, rules: [{if, explain}], documents}.\n";

static int cmd_programme_list(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {{"all", no_argument, 0, 'a'},
                                       {"json", no_argument, 0, 'j'},
                                       {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  json_t *arr = NULL;
  int c, rc, bAll = 0;
  while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    switch (c) {
    case 'a': bAll = 1; break;
    case 'j': arr = arr ? arr : json_array(); break;
    default: json_decref(arr); return EXIT_USAGE;
    }
  }
  if (optind != argc) {
    json_decref(arr);
    return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
  }
  if ((rc = cli_open(cli)) != 0) {
    json_decref(arr);
    return rc;
  }
  if (cases_programme_list(cli->ctx, bAll, list_one, arr, &err) != 0) {
    json_decref(arr);
    return cli_fail(&err);
  }
  return arr ? cli_json_print(arr) : EXIT_OK;
}

/* ---- screen ---- */

static const char *outcome_code(int outcome)
{
  return outcome == SCREEN_YES  ? "eligible"
         : outcome == SCREEN_NO ? "not-eligible"
                                : "may-be";
}

static const char *rule_outcome(int outcome)
{
  return outcome == 1 ? "yes" : outcome == 0 ? "no" : "unknown";
}

/* The explanation of sr in language zLang when the catalogue gives it. */
static const char *explain(const struct screen_rule *sr, const char *zLang)
{
  return cases_langtext_pick(zLang, sr->zExplain, sr->zExplainKm,
                             sr->zExplainMn);
}

static json_t *screening_json(const struct screening *s, const char *zLang)
{
  json_t *o = json_object(), *progs = json_array();
  json_object_set_new(o, "regno", json_string(s->zRegno));
  json_object_set_new(o, "date", json_string(s->zDate));
  json_object_set_new(o, "assessment",
                      s->assessment
                          ? json_pack("{s:I, s:f, s:s}", "number",
                                      (json_int_t)s->assessment, "score",
                                      s->score, "band", s->zBand)
                          : json_null());
  for (int i = 0; i < s->nProg; i++) {
    const struct screen_programme *sp = &s->aProg[i];
    json_t *jp = programme_json(&sp->p), *results = json_array();
    json_object_del(jp, "active");
    json_object_del(jp, "catalogue_version");
    json_object_del(jp, "rules");
    for (int r = 0; r < sp->nRes; r++) {
      const struct screen_result *res = &sp->aRes[r];
      json_t *rules = json_array();
      for (int k = 0; k < res->nRule; k++) {
        const struct screen_rule *sr = &res->aRule[k];
        json_array_append_new(
            rules,
            json_pack("{s:s, s:s, s:s, s:s, s:s}", "if", sr->zIf, "explain",
                      explain(sr, zLang), "outcome", rule_outcome(sr->outcome),
                      "facts", sr->zFacts, "missing", sr->zMissing));
      }
      json_array_append_new(
          results,
          json_pack("{s:i, s:s, s:s, s:o, s:o}", "member", res->member,
                    "name", res->zMemberName, "outcome",
                    outcome_code(res->outcome), "enrolment",
                    res->enrolment ? json_pack("{s:I, s:s}", "number",
                                               (json_int_t)res->enrolment,
                                               "status", res->zEnrolStatus)
                                   : json_null(),
                    "rules", rules));
    }
    json_object_set_new(jp, "results", results);
    json_array_append_new(progs, jp);
  }
  json_object_set_new(o, "programmes", progs);
  return o;
}

static void print_result(const struct screen_result *res, const char *zLang)
{
  const char *zOut = res->outcome == SCREEN_YES   ? "ELIGIBLE"
                     : res->outcome == SCREEN_NO ? "NOT ELIGIBLE"
                                                 : "MAY BE ELIGIBLE";
  if (res->member)
    printf("  member %d %s: %s", res->member, res->zMemberName, zOut);
  else
    printf("  household: %s", zOut);
  if (res->enrolment)
    printf(" (enrolment %lld, %s)", (long long)res->enrolment,
           res->zEnrolStatus);
  if (res->outcome == SCREEN_NO) {
    /* why not, on the same line: the rules that fail */
    for (int k = 0, n = 0; k < res->nRule; k++)
      if (res->aRule[k].outcome == 0) {
        printf("%s%s", n++ ? "; " : ": ", explain(&res->aRule[k], zLang));
        if (res->aRule[k].zFacts[0])
          printf(" (%s)", res->aRule[k].zFacts);
      }
    putchar('\n');
    return;
  }
  putchar('\n');
  for (int k = 0; k < res->nRule; k++) {
    const struct screen_rule *sr = &res->aRule[k];
    printf("    %-4s %s", sr->outcome == 1 ? "yes" : "?", explain(sr, zLang));
    if (sr->zFacts[0])
      printf(" (%s)", sr->zFacts);
    putchar('\n');
    if (sr->zMissing[0])
      printf("         missing: %s\n", sr->zMissing);
  }
}

/* "code" or "code (members 2, 3)" for the results of sp with outcome. */
static void summary_add(struct buf *b, const struct screen_programme *sp,
                        int outcome)
{
  int n = 0, nMembers = 0;
  for (int r = 0; r < sp->nRes; r++)
    nMembers += sp->aRes[r].outcome == outcome && sp->aRes[r].member;
  for (int r = 0; r < sp->nRes; r++) {
    if (sp->aRes[r].outcome != outcome)
      continue;
    if (n++ == 0)
      buf_appendf(b, "%s%s", b->n ? ", " : "", sp->p.zCode);
    if (sp->aRes[r].member)
      buf_appendf(b, "%s%d",
                  n > 1 ? ", " : nMembers > 1 ? " (members " : " (member ",
                  sp->aRes[r].member);
  }
  if (nMembers)
    buf_putc(b, ')');
}

static void print_screening(const struct screening *s, const char *zLang)
{
  struct buf yes = BUF_INIT, maybe = BUF_INIT;
  printf("Screening of %s on %s, ", s->zRegno, s->zDate);
  if (s->assessment)
    printf("with assessment %lld (score %g, band %s)\n",
           (long long)s->assessment, s->score, s->zBand);
  else
    printf("without an assessment (sws assessment add)\n");
  printf("Indicative only: the agency decides on the application.\n");
  for (int i = 0; i < s->nProg; i++) {
    const struct screen_programme *sp = &s->aProg[i];
    int any = 0;
    printf("\n%s - %s [%s]\n", sp->p.zCode, sp->p.zName, sp->p.zGuarantee);
    for (int r = 0; r < sp->nRes; r++) {
      print_result(&sp->aRes[r], zLang);
      any |= sp->aRes[r].outcome != SCREEN_NO;
    }
    if (sp->nRes == 0)
      printf("  no active members\n");
    if (any)
      print_docs(&sp->p, "  bring ");
    summary_add(&yes, sp, SCREEN_YES);
    summary_add(&maybe, sp, SCREEN_MAYBE);
  }
  printf("\nEligible: %s\n", yes.n ? buf_str(&yes) : "none");
  printf("May be eligible: %s\n", maybe.n ? buf_str(&maybe) : "none");
  buf_release(&yes);
  buf_release(&maybe);
}

static const char zScreenUsage[] =
    "usage: sws screen REGNO [--json] [--lang en|km|mn]\n"
    "\n"
    "Tell, offline, which programmes of the catalogue the household and\n"
    "each of its members may be eligible for, and why or why not: every\n"
    "rule says yes, no or ? (unknown) with the facts it read (member.age =\n"
    "67) and, when unknown, what is missing (\"no assessment yet: answer\n"
    "idpoor\"). Facts are the registry's (ages, sex, disability,\n"
    "relationships, area) and the household's latest assessment. Nothing\n"
    "is saved. --lang km or mn gives the rules' explanations in Khmer or\n"
    "Mongolian where the catalogue has them (English otherwise). --json\n"
    "prints {regno, date, assessment, programmes: [{code,\n"
    "name, agency, guarantee, level, documents, results: [{member, name,\n"
    "outcome (eligible, not-eligible, may-be), enrolment, rules: [{if,\n"
    "explain, outcome, facts, missing}]}]}]}.\n";

static int cmd_screen(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  struct screening s;
  const char *zLang;
  int rc, bJson;
  if ((rc = cli_json_lang_args(cli, argc, argv, 1, "registration number",
                               &bJson, &zLang)) != 0 ||
      (rc = cli_open_case(cli, argv[optind])) != 0)
    return rc;
  if (cases_screen(cli->ctx, argv[optind], &s, &err) != 0) {
    cases_screening_release(&s);
    return cli_fail(&err);
  }
  if (bJson)
    rc = cli_json_print(screening_json(&s, zLang));
  else
    print_screening(&s, zLang);
  cases_screening_release(&s);
  return rc;
}

/* ---- enrolment ---- */

/* After an application: what screening says of it, as a note. */
static void note_screening(struct cli *cli, const char *zRegno,
                           const char *zCode, int member)
{
  struct screening s;
  if (cases_screen(cli->ctx, zRegno, &s, NULL) == 0) {
    for (int i = 0; i < s.nProg; i++) {
      if (strcmp(s.aProg[i].p.zCode, zCode) != 0)
        continue;
      for (int r = 0; r < s.aProg[i].nRes; r++) {
        const struct screen_result *res = &s.aProg[i].aRes[r];
        if (res->member != member || res->outcome == SCREEN_YES)
          continue;
        fprintf(stderr, "sws: note: screening says %s (",
                cases_screen_outcome_name(res->outcome));
        for (int k = 0, n = 0; k < res->nRule; k++)
          if (res->aRule[k].outcome != 1)
            fprintf(stderr, "%s%s: %s", n++ ? "; " : "",
                    rule_outcome(res->aRule[k].outcome),
                    res->aRule[k].zExplain);
        fprintf(stderr, "); the agency decides (see 'sws screen %s')\n",
                zRegno);
      }
    }
  }
  cases_screening_release(&s);
}

static const char zEnrolUsage[] =
    "usage: sws enrol REGNO --programme CODE [--member N]\n"
    "\n"
    "Apply for a programme: for the household (household programmes) or\n"
    "for its member N (member programmes). The application starts as\n"
    "applied; the agency's answer is recorded with 'sws enrolment decide'.\n"
    "Refused: an inactive programme, the wrong level, a member who is not\n"
    "an active member of this household, and a second live (applied or\n"
    "approved) application. sws notes when screening does not say\n"
    "eligible, and prints the documents to bring. The enrolment number is\n"
    "the last line printed.\n";

static int cmd_enrol(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {
      {"programme", required_argument, 0, 'p'},
      {"member", required_argument, 0, 'm'},
      {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  struct enrolment e;
  struct programme p;
  const char *zCode = NULL;
  int64_t member = 0, number;
  int c, rc;
  while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    switch (c) {
    case 'p': zCode = optarg; break;
    case 'm':
      if (sws_parse_int64("--member", optarg, 1, 1000, &member, &err) != 0)
        return cli_fail(&err);
      break;
    default: return EXIT_USAGE;
    }
  }
  if (optind != argc - 1 || zCode == NULL)
    return cli_usage(cli, "give a registration number and --programme CODE");
  if ((rc = cli_open_case(cli, argv[optind])) != 0)
    return rc;
  if (cases_enrol(cli->ctx, argv[optind], (int)member, zCode, &number,
                  &err) != 0 ||
      cases_enrolment_get(cli->ctx, number, &e, &err) != 0)
    return cli_fail(&err);
  if (e.member)
    printf("member %d (%s) of %s applied to %s: %s\n", e.member,
           e.zMemberName, e.zRegno, e.zProgramme, e.zProgrammeName);
  else
    printf("household %s applied to %s: %s\n", e.zRegno, e.zProgramme,
           e.zProgrammeName);
  if (cases_programme_get(cli->ctx, zCode, &p, NULL) == 0)
    print_docs(&p, "bring ");
  cases_programme_clear(&p);
  note_screening(cli, e.zRegno, e.zProgramme, e.member);
  printf("%lld\n", (long long)number);
  return EXIT_OK;
}

static const char zDecideUsage[] =
    "usage: sws enrolment decide NUMBER (--approve | --reject) [--reason\n"
    "           TEXT]\n"
    "\n"
    "Record the agency's decision on an application: applied becomes\n"
    "approved or rejected (a rejection needs --reason, which the family is\n"
    "told). Only an application still applied can be decided; after a\n"
    "rejection the person may apply again with 'sws enrol'.\n";

static int cmd_enrolment_decide(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {
      {"approve", no_argument, 0, 'a'},
      {"reject", no_argument, 0, 'r'},
      {"reason", required_argument, 0, 'R'},
      {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  const char *zReason = NULL;
  int64_t number;
  int c, rc, bApprove = 0, bReject = 0;
  while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    switch (c) {
    case 'a': bApprove = 1; break;
    case 'r': bReject = 1; break;
    case 'R': zReason = optarg; break;
    default: return EXIT_USAGE;
    }
  }
  if (optind != argc - 1)
    return cli_usage(cli, "give one enrolment number");
  if (bApprove == bReject)
    return cli_usage(cli, "give either --approve or --reject");
  if (bReject && zReason == NULL)
    return cli_usage(cli, "a rejection needs --reason TEXT");
  if (sws_parse_int64("the enrolment number", argv[optind], 1, INT64_MAX,
                      &number, &err) != 0)
    return cli_fail(&err);
  if ((rc = cli_open(cli)) != 0)
    return rc;
  struct enrolment e;
  if (cases_enrolment_get(cli->ctx, number, &e, &err) != 0)
    return cli_fail(&err);
  if (cases_case_check(cli->ctx, cli_role(cli), e.zRegno, &err) != 0) {
    if (err.code == SWS_ENOTFOUND) /* as if it did not exist */
      sws_err_set(&err, SWS_ENOTFOUND,
                  "no enrolment %lld in this office "
                  "(see 'sws enrolment list REGNO')",
                  (long long)number);
    return cli_fail(&err);
  }
  if (cases_enrolment_decide(cli->ctx, number, bApprove, zReason, &err) != 0)
    return cli_fail(&err);
  printf("enrolment %lld %s\n", (long long)number,
         bApprove ? "approved" : "rejected");
  return EXIT_OK;
}

static int enrolment_row(const struct enrolment *e, void *arg)
{
  json_t *arr = arg;
  if (arr) {
    json_array_append_new(
        arr, json_pack("{s:I, s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
                       "number", (json_int_t)e->number, "member", e->member,
                       "member_name", e->zMemberName, "programme",
                       e->zProgramme, "status", e->zStatus, "reason",
                       e->zReason, "applied_at", e->zAppliedAt, "applied_by",
                       e->zAppliedBy, "decided_at", e->zDecidedAt,
                       "decided_by", e->zDecidedBy));
    return 0;
  }
  printf("%-5lld %-9s %-22s ", (long long)e->number, e->zStatus,
         e->zProgramme);
  if (e->member)
    printf("member %d %s", e->member, e->zMemberName);
  else
    printf("household");
  printf("  applied %.10s by %s", e->zAppliedAt, e->zAppliedBy);
  if (e->zDecidedAt[0])
    printf(", %s %.10s by %s", e->zStatus, e->zDecidedAt, e->zDecidedBy);
  putchar('\n');
  if (e->zReason[0])
    printf("      reason: %s\n", e->zReason);
  return 0;
}

static const char zEnrolListUsage[] =
    "usage: sws enrolment list REGNO [--json]\n"
    "\n"
    "List a household's applications, newest first, with their status and\n"
    "reasons. --json prints an array of {number, member, member_name,\n"
    "programme, status, reason, applied_at, applied_by, decided_at,\n"
    "decided_by} (member 0: the household).\n";

static int cmd_enrolment_list(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  int bJson, rc;
  if ((rc = cli_json_args(cli, argc, argv, 1, "registration number", &bJson)) !=
          0 ||
      (rc = cli_open_case(cli, argv[optind])) != 0)
    return rc;
  json_t *arr = bJson ? json_array() : NULL;
  if (cases_enrolment_list(cli->ctx, argv[optind], enrolment_row, arr,
                           &err) != 0) {
    json_decref(arr);
    return cli_fail(&err);
  }
  return arr ? cli_json_print(arr) : EXIT_OK;
}

const struct cmd cmds_programme[] = {
    {"programme load", cmd_programme_load,
     "load the programme catalogue (eligibility rules)", zLoadUsage, 0,
     CAP_ADMIN},
    {"programme list", cmd_programme_list,
     "list the programmes and their rules", zListUsage, 0, CAP_READ},
    {"screen", cmd_screen,
     "which programmes a household may be eligible for, and why", zScreenUsage,
     0, CAP_CASE_READ},
    {"enrol", cmd_enrol, "apply for a programme for a household or member",
     zEnrolUsage, 0, CAP_CASE},
    {"enrolment decide", cmd_enrolment_decide,
     "approve or reject an application", zDecideUsage, 0, CAP_DECIDE},
    {"enrolment list", cmd_enrolment_list, "list a household's applications",
     zEnrolListUsage, 0, CAP_CASE_READ},
    {NULL, NULL, NULL, NULL, 0, CAP_NONE},
};
