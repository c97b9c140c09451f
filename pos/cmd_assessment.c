/*
 * cmd_assessment.c - sws assessment load|add|show|list|questions: needs
 * assessments with versioned questionnaires and explained scores.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cases/access.h"
#include "cases/assessment.h"
#include "core/mem.h"
#include "core/text.h"
#include "pos/cli.h"

#define ANSWERS_FILE_MAX (256 << 10)

static const char zLoadUsage[] =
    "usage: sws assessment load FILE\n"
    "\n"
    "Load a questionnaire with its scoring rules (an instrument, JSON; the\n"
    "format is in docs/assessment-and-programmes.md). Everything is checked\n"
    "first: a wrong question, option or rule is named and nothing is\n"
    "loaded. A loaded (code, version) never changes, so old assessments\n"
    "keep the questions they were asked: give a changed questionnaire a new\n"
    "version. Loading the same file again changes nothing.\n";

static int cmd_assessment_load(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  struct instrument_load_report rep;
  char *z = NULL;
  size_t n;
  int rc;
  if (argc != 2)
    return cli_usage(cli, "give one file");
  if (cli_read_file(argv[1], INSTRUMENT_MAX_BYTES, &z, &n, &err) != 0)
    return cli_fail(&err);
  if ((rc = cli_open(cli)) == 0) {
    if (cases_instrument_load(cli->ctx, z, n, &rep, &err) != 0)
      rc = cli_fail(&err);
    else if (rep.bUnchanged)
      printf("instrument %s version %d is already loaded; nothing "
             "changed\n", rep.zCode, rep.version);
    else
      printf("instrument %s version %d loaded: %d questions, %d scoring "
             "rules\n", rep.zCode, rep.version, rep.nQuestions, rep.nRules);
  }
  free(z);
  return rc;
}

/* ---- add ---- */

struct answers {
  char **az;
  int n;
};

static void answers_add(struct answers *a, const char *z, size_t n)
{
  a->az = sws_realloc(a->az, sizeof *a->az * (size_t)(a->n + 1));
  a->az[a->n++] = sws_strndup(z, n);
}

static void answers_clear(struct answers *a)
{
  for (int i = 0; i < a->n; i++)
    free(a->az[i]);
  free(a->az);
}

/* KEY=VALUE lines; blank lines and lines starting with '#' are skipped. */
static int read_answers_file(const char *zPath, struct answers *a,
                             struct sws_err *err)
{
  char *z;
  size_t n;
  int rc = cli_read_file(zPath, ANSWERS_FILE_MAX, &z, &n, err);
  if (rc != 0)
    return rc;
  for (char *p = z; *p;) {
    char *e = strchr(p, '\n');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    while (len > 0 && p[len - 1] == '\r')
      len--;
    char *line = sws_strndup(p, len), *t = sws_trim(line);
    if (*t != '\0' && *t != '#')
      answers_add(a, t, strlen(t));
    free(t);
    free(line);
    p = e ? e + 1 : p + strlen(p);
  }
  free(z);
  return SWS_OK;
}

/* "vulnerability:food, vulnerability:income" as "food, income" for kind. */
static void print_flags(const struct assessment *a, const char *zKind,
                        const char *zLabel)
{
  size_t nKind = strlen(zKind);
  int any = 0;
  for (int i = 0; i < a->nFlag; i++)
    if (strncmp(a->azFlag[i], zKind, nKind) == 0 &&
        a->azFlag[i][nKind] == ':') {
      printf("%s%s", any ? ", " : zLabel, a->azFlag[i] + nKind + 1);
      any = 1;
    }
  if (any)
    putchar('\n');
}

static const char zAddUsage[] =
    "usage: sws assessment add REGNO --answer KEY=VALUE... [--answers-file\n"
    "           FILE] [--instrument CODE]\n"
    "\n"
    "Record a needs assessment of the household (it needs an open case:\n"
    "'sws case open'). KEY is a question id (see 'sws assessment\n"
    "questions'); questions about each member are answered KEY@N=VALUE for\n"
    "member N. Values: numbers as digits (Khmer digits too), choices by\n"
    "their option value, several options separated by commas, yes or no.\n"
    "--answers-file reads KEY=VALUE lines (# starts a comment). Every\n"
    "answer is checked; one wrong answer is named and nothing is saved.\n"
    "\n"
    "The score is computed by the instrument's rules, explained item by\n"
    "item ('sws assessment show'). --instrument uses the latest version of\n"
    "another questionnaire (default: needs). The assessment number is the\n"
    "last line printed.\n";

static int cmd_assessment_add(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {
      {"answer", required_argument, 0, 'a'},
      {"answers-file", required_argument, 0, 'f'},
      {"instrument", required_argument, 0, 'i'},
      {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  struct answers ans = {NULL, 0};
  struct assessment a;
  const char *zInstrument = NULL;
  int64_t number;
  int c, rc = EXIT_OK;
  memset(&a, 0, sizeof a);
  while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    switch (c) {
    case 'a':
      if (ans.n >= ASSESSMENT_MAX_ANSWERS) {
        rc = cli_usage(cli, "at most %d answers", ASSESSMENT_MAX_ANSWERS);
        goto done;
      }
      answers_add(&ans, optarg, strlen(optarg));
      break;
    case 'f':
      if (read_answers_file(optarg, &ans, &err) != 0) {
        rc = cli_fail(&err);
        goto done;
      }
      break;
    case 'i': zInstrument = optarg; break;
    default: rc = EXIT_USAGE; goto done;
    }
  }
  if (optind != argc - 1) {
    rc = cli_usage(cli, "give one registration number");
    goto done;
  }
  if ((rc = cli_open_case(cli, argv[optind])) != 0)
    goto done;
  if (cases_assessment_add(cli->ctx, argv[optind], zInstrument,
                           (const char *const *)ans.az, ans.n, &number,
                           &err) != 0 ||
      cases_assessment_get(cli->ctx, number, &a, &err) != 0) {
    rc = cli_fail(&err);
    goto done;
  }
  printf("assessment %lld of %s (%s version %d): score %g, band %s\n",
         (long long)a.number, a.zRegno, a.zInstrument, a.version, a.score,
         a.zBand);
  print_flags(&a, "vulnerability", "vulnerabilities: ");
  print_flags(&a, "skill", "skills: ");
  printf("the explanation: sws assessment show %lld\n%lld\n",
         (long long)a.number, (long long)a.number);
done:
  cases_assessment_release(&a);
  answers_clear(&ans);
  return rc;
}

/* ---- show ---- */

static json_t *answer_json(const struct answer *x)
{
  const struct rule_value *v = &x->v;
  switch (v->type) {
  case RV_NUMBER:
    if (v->n == floor(v->n) && fabs(v->n) < 1e15)
      return json_integer((json_int_t)v->n);
    return json_real(v->n);
  case RV_BOOL: return json_boolean(v->b);
  case RV_STRING: return json_string(v->z);
  case RV_LIST: {
    json_t *arr = json_array();
    for (int i = 0; i < v->nList; i++)
      json_array_append_new(arr, json_string(v->az[i]));
    return arr;
  }
  }
  return json_null();
}

/* The assessment as JSON, its explanations and band in language zLang
 * when in (its instrument, or NULL) gives them. */
static json_t *assessment_json(const struct assessment *a,
                               const struct instrument *in, const char *zLang)
{
  json_t *o = json_object(), *flags = json_array(), *ans = json_object();
  json_t *items = json_array();
  json_object_set_new(o, "number", json_integer(a->number));
  json_object_set_new(o, "regno", json_string(a->zRegno));
  json_object_set_new(o, "instrument", json_string(a->zInstrument));
  json_object_set_new(o, "version", json_integer(a->version));
  json_object_set_new(o, "assessed_at", json_string(a->zAt));
  json_object_set_new(o, "assessed_by", json_string(a->zBy));
  json_object_set_new(o, "score", json_real(a->score));
  json_object_set_new(o, "band", json_string(a->zBand));
  json_object_set_new(
      o, "band_label",
      json_string(cases_instrument_band_label(in, a->zBand, zLang)));
  for (int i = 0; i < a->nFlag; i++)
    json_array_append_new(flags, json_string(a->azFlag[i]));
  json_object_set_new(o, "flags", flags);
  for (int i = 0; i < a->nAnswer; i++)
    json_object_set_new(ans, a->aAnswer[i].zKey, answer_json(&a->aAnswer[i]));
  json_object_set_new(o, "answers", ans);
  for (int i = 0; i < a->nItem; i++) {
    const struct assessment_item *it = &a->aItem[i];
    json_array_append_new(
        items, json_pack("{s:s, s:i, s:s, s:f, s:s, s:s, s:s}", "rule",
                         it->zRule, "member", it->member, "outcome",
                         it->outcome == 1 ? "yes" : "unknown", "points",
                         it->points, "flag", it->zFlag, "explain",
                         cases_instrument_explain(in, it, zLang), "because",
                         it->zBecause));
  }
  json_object_set_new(o, "explanation", items);
  return o;
}

/* Assessment a on the terminal, its explanations and band in language
 * zLang when in gives them. */
static void print_assessment(const struct assessment *a,
                             const struct instrument *in, const char *zLang)
{
  struct buf b = BUF_INIT;
  int nUnknown = 0;
  printf("Assessment %lld of %s\n", (long long)a->number, a->zRegno);
  printf("  instrument  %s version %d\n", a->zInstrument, a->version);
  printf("  assessed    %s by %s\n", a->zAt, a->zBy);
  printf("  score       %g (band %s)\n", a->score,
         cases_instrument_band_label(in, a->zBand, zLang));
  print_flags(a, "vulnerability", "  found       ");
  print_flags(a, "skill", "  skills      ");
  printf("\nAnswers\n");
  for (int i = 0; i < a->nAnswer; i++) {
    buf_reset(&b);
    cases_answer_text(&a->aAnswer[i], &b);
    printf("  %-24s %s\n", a->aAnswer[i].zKey, buf_str(&b));
  }
  printf("\nThe score, item by item\n");
  for (int i = 0; i < a->nItem; i++) {
    const struct assessment_item *it = &a->aItem[i];
    if (it->outcome != 1) {
      nUnknown++;
      continue;
    }
    char zWho[24] = "";
    if (it->member)
      snprintf(zWho, sizeof zWho, ", member %d", it->member);
    printf("  %+5g  %s%s: %s%s%s%s\n", it->points, it->zRule, zWho,
           cases_instrument_explain(in, it, zLang), it->zFlag[0] ? " [" : "",
           it->zFlag, it->zFlag[0] ? "]" : "");
    if (it->zBecause[0])
      printf("         because %s\n", it->zBecause);
  }
  printf("  =%5g\n", a->score);
  if (nUnknown) {
    /* group the rules that could not be scored, with their members */
    printf("\nNot scored, answers missing\n");
    for (int i = 0; i < a->nItem; i++) {
      const struct assessment_item *it = &a->aItem[i];
      int first = 1;
      if (it->outcome == 1)
        continue;
      for (int k = 0; k < i; k++)
        first &= !(a->aItem[k].outcome != 1 &&
                   strcmp(a->aItem[k].zRule, it->zRule) == 0);
      if (!first)
        continue;
      buf_reset(&b);
      for (int k = i; k < a->nItem; k++)
        if (a->aItem[k].outcome != 1 &&
            strcmp(a->aItem[k].zRule, it->zRule) == 0 && a->aItem[k].member)
          buf_appendf(&b, "%s%d", b.n ? ", " : " (members ",
                      a->aItem[k].member);
      if (b.n)
        buf_putc(&b, ')');
      printf("  %s%s: %s\n", it->zRule, buf_str(&b),
             cases_instrument_explain(in, it, zLang));
    }
  }
  buf_release(&b);
}

/* NUMBER [--json] [--lang L] (pzLang NULL: no --lang). */
static int parse_number_arg(struct cli *cli, int argc, char **argv,
                            const char *zWhat, int64_t *out, int *pJson,
                            const char **pzLang)
{
  struct sws_err err = SWS_ERR_INIT;
  int rc;
  if ((rc = cli_json_lang_args(cli, argc, argv, 1, zWhat, pJson, pzLang)) != 0)
    return rc;
  if (sws_parse_int64(zWhat, argv[optind], 1, INT64_MAX, out, &err) != 0)
    return cli_fail(&err);
  return EXIT_OK;
}

static const char zShowUsage[] =
    "usage: sws assessment show NUMBER [--json] [--lang en|km|mn]\n"
    "\n"
    "Show an assessment: the instrument and version used, the answers, the\n"
    "score and band, the vulnerabilities and skills found, and the score\n"
    "item by item: which rule added how many points because of which\n"
    "answers (and which rules could not be scored for lack of answers).\n"
    "--lang km or mn shows the explanations and the band in Khmer or\n"
    "Mongolian where the instrument version gives them (English\n"
    "otherwise). --json prints {number, regno, instrument, version,\n"
    "assessed_at, assessed_by, score, band, band_label, flags, answers:\n"
    "{KEY: value}, explanation: [{rule, member, outcome, points, flag,\n"
    "explain, because}]}.\n";

/* 0 when the acting user may see the case of assessment a's household;
 * otherwise the error says it does not exist (need-to-know). */
static int visible(struct cli *cli, const struct assessment *a,
                   struct sws_err *err)
{
  if (cases_case_check(cli->ctx, cli_role(cli), a->zRegno, err) == 0)
    return 0;
  if (err->code == SWS_ENOTFOUND)
    sws_err_set(err, SWS_ENOTFOUND,
                "no assessment %lld in this office (see "
                "'sws assessment list REGNO')",
                (long long)a->number);
  return err->code;
}

static int cmd_assessment_show(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  struct assessment a;
  struct instrument *in = NULL;
  const char *zLang;
  int64_t number;
  int bJson, rc;
  if ((rc = parse_number_arg(cli, argc, argv, "assessment number", &number,
                             &bJson, &zLang)) != 0 ||
      (rc = cli_open(cli)) != 0)
    return rc;
  if (cases_assessment_get(cli->ctx, number, &a, &err) != 0)
    return cli_fail(&err);
  if (visible(cli, &a, &err) != 0) {
    cases_assessment_release(&a);
    return cli_fail(&err);
  }
  /* the version it was made with: its rules' texts in other languages */
  if (cases_instrument_get(cli->ctx, a.zInstrument, a.version, &in, NULL) != 0)
    in = NULL; /* the kept English stands in */
  if (bJson)
    rc = cli_json_print(assessment_json(&a, in, zLang));
  else
    print_assessment(&a, in, zLang);
  cases_instrument_free(in);
  cases_assessment_release(&a);
  return rc;
}

/* ---- list ---- */

static int list_row(const struct assessment_row *r, void *arg)
{
  json_t *arr = arg;
  if (arr) {
    json_t *flags = json_loads(r->zFlags, 0, NULL);
    json_array_append_new(
        arr, json_pack("{s:I, s:s, s:i, s:f, s:s, s:o, s:s, s:s}", "number",
                       (json_int_t)r->number, "instrument", r->zInstrument,
                       "version", r->version, "score", r->score, "band",
                       r->zBand, "flags", flags ? flags : json_array(),
                       "assessed_at", r->zAt, "assessed_by", r->zBy));
  } else {
    printf("%-5lld %.10s  %s v%d  score %g  %s  by %s\n",
           (long long)r->number, r->zAt, r->zInstrument, r->version,
           r->score, r->zBand, r->zBy);
  }
  return 0;
}

static const char zListUsage[] =
    "usage: sws assessment list REGNO [--json]\n"
    "\n"
    "List a household's assessments, newest first: number, date,\n"
    "instrument and version, score, band. --json prints an array of\n"
    "{number, instrument, version, score, band, flags, assessed_at,\n"
    "assessed_by}.\n";

static int cmd_assessment_list(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  int bJson, rc;
  if ((rc = cli_json_args(cli, argc, argv, 1, "registration number", &bJson)) !=
          0 ||
      (rc = cli_open_case(cli, argv[optind])) != 0)
    return rc;
  json_t *arr = bJson ? json_array() : NULL;
  if (cases_assessment_list(cli->ctx, argv[optind], list_row, arr, &err)) {
    json_decref(arr);
    return cli_fail(&err);
  }
  return arr ? cli_json_print(arr) : EXIT_OK;
}

/* ---- questions ---- */

static json_t *questions_json(const struct instrument *in)
{
  json_t *o = json_object(), *qs = json_array();
  json_object_set_new(o, "code", json_string(in->zCode));
  json_object_set_new(o, "version", json_integer(in->version));
  json_object_set_new(o, "title", json_string(in->zTitle));
  json_object_set_new(o, "currency", json_string(in->zCurrency));
  for (int i = 0; i < in->nQ; i++) {
    const struct instrument_question *q = &in->aQ[i];
    json_t *jq = json_object(), *opts = json_array();
    char *zKey = q->bMember ? sws_mprintf("%s@N", q->zId)
                            : sws_strdup(q->zId);
    json_object_set_new(jq, "id", json_string(q->zId));
    json_object_set_new(jq, "key", json_string(zKey));
    json_object_set_new(jq, "domain", json_string(q->zDomain));
    json_object_set_new(jq, "type",
                        json_string(cases_question_type_name(q->type)));
    json_object_set_new(jq, "scope",
                        json_string(q->bMember ? "member" : "household"));
    json_object_set_new(jq, "required", json_boolean(q->bRequired));
    if (q->zAskIf)
      json_object_set_new(jq, "ask_if", json_string(q->zAskIf));
    if (q->bMin)
      json_object_set_new(jq, "min", json_real(q->min));
    if (q->bMax)
      json_object_set_new(jq, "max", json_real(q->max));
    json_object_set_new(
        jq, "text",
        json_pack("{s:s, s:s, s:s}", "en", q->zEn, "km", q->zKm, "mn", q->zMn));
    for (int k = 0; k < q->nOpt; k++)
      json_array_append_new(
          opts, json_pack("{s:s, s:s, s:s, s:s}", "value", q->aOpt[k].zValue,
                          "en", q->aOpt[k].zEn, "km", q->aOpt[k].zKm, "mn",
                          q->aOpt[k].zMn));
    if (q->nOpt)
      json_object_set_new(jq, "options", opts);
    else
      json_decref(opts);
    json_array_append_new(qs, jq);
    free(zKey);
  }
  json_object_set_new(o, "questions", qs);
  return o;
}

static void print_questions(const struct instrument *in)
{
  struct buf b = BUF_INIT;
  printf("%s version %d: %s\n", in->zCode, in->version, in->zTitle);
  if (in->zCurrency[0])
    printf("Amounts are in %s.\n", in->zCurrency);
  printf("Answer with --answer KEY=VALUE; for questions about each member,\n"
         "KEY@N=VALUE for member N.\n");
  for (int i = 0; i < in->nQ; i++) {
    const struct instrument_question *q = &in->aQ[i];
    struct rule_value lo = {RV_NUMBER, 0, q->min, NULL, NULL, 0};
    struct rule_value hi = {RV_NUMBER, 0, q->max, NULL, NULL, 0};
    buf_reset(&b);
    buf_appendf(&b, "%s%s", q->zId, q->bMember ? "@N" : "");
    printf("\n  %-24s %s, %s", buf_str(&b), q->zDomain,
           cases_question_type_name(q->type));
    if (q->bMin || q->bMax) {
      buf_reset(&b);
      if (q->bMin) {
        buf_puts(&b, " from ");
        rule_value_format(&lo, &b);
      }
      if (q->bMax) {
        buf_puts(&b, q->bMin ? " to " : " up to ");
        rule_value_format(&hi, &b);
      }
      printf("%s", buf_str(&b));
    }
    if (q->type == QT_MULTI)
      printf(" (values separated by commas)");
    printf("%s\n", q->bRequired ? ", required" : "");
    if (q->zAskIf)
      printf("      asked when %s\n", q->zAskIf);
    printf("      %s\n", q->zEn);
    if (q->zKm[0])
      printf("      %s\n", q->zKm);
    if (q->zMn[0])
      printf("      %s\n", q->zMn);
    for (int k = 0; k < q->nOpt; k++)
      printf("        %-18s %s%s%s%s%s\n", q->aOpt[k].zValue, q->aOpt[k].zEn,
             q->aOpt[k].zKm[0] ? " / " : "", q->aOpt[k].zKm,
             q->aOpt[k].zMn[0] ? " / " : "", q->aOpt[k].zMn);
  }
  buf_release(&b);
}

static const char zQuestionsUsage[] =
    "usage: sws assessment questions [--instrument CODE] [--json]\n"
    "\n"
    "Print the questionnaire (the latest version of CODE; default needs):\n"
    "each question's KEY for --answer, its domain, type, limits, text in\n"
    "English, Khmer and Mongolian (those given) and its options, and the\n"
    "currency of its amounts. --json prints {code, version, title,\n"
    "currency, questions: [{id, key, domain, type, scope, required, ask_if,\n"
    "min, max, text: {en, km, mn}, options: [{value, en, km, mn}]}]};\n"
    "ask_if says of whom a question is asked (member.sex == \"F\" and\n"
    "member.age between 10 and 55): an answer for anyone else is refused.\n";

static int cmd_assessment_questions(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {
      {"instrument", required_argument, 0, 'i'},
      {"json", no_argument, 0, 'j'},
      {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  struct instrument *in;
  const char *zCode = NULL;
  int c, rc, bJson = 0;
  while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    switch (c) {
    case 'i': zCode = optarg; break;
    case 'j': bJson = 1; break;
    default: return EXIT_USAGE;
    }
  }
  if (optind != argc)
    return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
  if ((rc = cli_open(cli)) != 0)
    return rc;
  if (cases_instrument_get(cli->ctx, zCode, 0, &in, &err) != 0)
    return cli_fail(&err);
  if (bJson)
    rc = cli_json_print(questions_json(in));
  else
    print_questions(in);
  cases_instrument_free(in);
  return rc;
}

const struct cmd cmds_assessment[] = {
    {"assessment load", cmd_assessment_load,
     "load a questionnaire with scoring rules (versioned)", zLoadUsage, 0,
     CAP_ADMIN},
    {"assessment add", cmd_assessment_add,
     "record a needs assessment of a household", zAddUsage, 0, CAP_CASE},
    {"assessment show", cmd_assessment_show,
     "show an assessment and explain its score", zShowUsage, 0, CAP_CASE_READ},
    {"assessment list", cmd_assessment_list, "list a household's assessments",
     zListUsage, 0, CAP_CASE_READ},
    {"assessment questions", cmd_assessment_questions,
     "print the questionnaire and the answer keys", zQuestionsUsage, 0,
     CAP_CASE_READ},
    {NULL, NULL, NULL, NULL, 0, CAP_NONE},
};
