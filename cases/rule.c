/*
 * rule.c - compile and evaluate rule expressions (see rule.h).
 *
 * A recursive-descent parser builds a small tree in one array; evaluation
 * walks it. Sizes are capped (text, nodes, depth) so a rule file from
 * outside cannot make either run away; both are fuzzed (fuzz/fuzz_rule.c).
 */
#include "cases/rule.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

enum kind {
  K_NUM,
  K_STR,
  K_BOOL,
  K_NAME,
  K_LIST,
  K_FUNC,
  K_NEG,
  K_NOT,
  K_AND,
  K_OR,
  K_CMP,
  K_IN,
  K_BETWEEN,
  K_ARITH,
};

enum cmp { C_EQ, C_NE, C_LT, C_LE, C_GT, C_GE };
enum func { F_HAS, F_MEMBERS, F_MIN, F_MAX, F_KNOWN };

struct node {
  int kind;
  int op;       /* enum cmp, enum func, or '+', '-', '*', '/' */
  double n;
  char *z;      /* K_STR text, K_NAME dotted name */
  int aKid[3];  /* children, -1 when absent */
  int *aList;   /* K_LIST / K_FUNC arguments */
  int nList;
};

struct rule {
  char *zText;
  struct node *a;
  int n, nAlloc;
  int root;
};

struct parser {
  struct rule *r;
  const char *z; /* the text */
  size_t i;      /* position */
  int depth;
  struct sws_err *err;
  int failed;
  int inMembers; /* parsing the condition of members() */
};

static int fail(struct parser *p, const char *zWhat)
{
  if (!p->failed) {
    char zText[64];
    snprintf(zText, sizeof zText, "%.60s", p->z);
    sws_err_set(p->err, SWS_EINVAL, "rule '%s': %s at character %zu", zText,
                zWhat, p->i + 1);
    p->failed = 1;
  }
  return -1;
}

static int new_node(struct parser *p, int kind)
{
  struct rule *r = p->r;
  if (r->n == RULE_MAX_NODES)
    return fail(p, "the rule is too long");
  if (r->n == r->nAlloc) {
    r->nAlloc = r->nAlloc ? 2 * r->nAlloc : 16;
    r->a = sws_realloc(r->a, sizeof *r->a * (size_t)r->nAlloc);
  }
  struct node *nd = &r->a[r->n];
  memset(nd, 0, sizeof *nd);
  nd->kind = kind;
  nd->aKid[0] = nd->aKid[1] = nd->aKid[2] = -1;
  return r->n++;
}

static void skip_space(struct parser *p)
{
  while (p->z[p->i] == ' ' || p->z[p->i] == '\t' || p->z[p->i] == '\n' ||
         p->z[p->i] == '\r')
    p->i++;
}

static int is_word_char(int c)
{
  return isalnum(c) || c == '_';
}

/* Is the next token the keyword kw (a whole word)? Consumes it if so. */
static int keyword(struct parser *p, const char *kw)
{
  skip_space(p);
  size_t n = strlen(kw);
  if (strncmp(p->z + p->i, kw, n) == 0 &&
      !is_word_char((unsigned char)p->z[p->i + n])) {
    p->i += n;
    return 1;
  }
  return 0;
}

static int punct(struct parser *p, const char *op)
{
  skip_space(p);
  size_t n = strlen(op);
  if (strncmp(p->z + p->i, op, n) == 0) {
    p->i += n;
    return 1;
  }
  return 0;
}

static int parse_expr(struct parser *p);

static void list_add(struct node *nd, int kid)
{
  nd->aList = sws_realloc(nd->aList, sizeof *nd->aList * (size_t)(nd->nList + 1));
  nd->aList[nd->nList++] = kid;
}

/* "(" already consumed for functions, "[" for lists; reads up to close. */
static int parse_args(struct parser *p, int id, const char *zClose)
{
  if (punct(p, zClose))
    return id;
  for (;;) {
    int kid = parse_expr(p);
    if (kid < 0)
      return -1;
    if (p->r->a[id].nList >= 64)
      return fail(p, "too many items");
    list_add(&p->r->a[id], kid);
    if (punct(p, zClose))
      return id;
    if (!punct(p, ","))
      return fail(p, zClose[0] == ')' ? "expected ',' or ')'"
                                      : "expected ',' or ']'");
  }
}

static int parse_atom(struct parser *p)
{
  skip_space(p);
  const char *z = p->z + p->i;
  if (isdigit((unsigned char)*z) || (*z == '.' && isdigit((unsigned char)z[1]))) {
    char *end;
    double v = strtod(z, &end);
    if (end == z || !isfinite(v))
      return fail(p, "bad number");
    int id = new_node(p, K_NUM);
    if (id < 0)
      return -1;
    p->r->a[id].n = v;
    p->i += (size_t)(end - z);
    return id;
  }
  if (*z == '"') {
    size_t j = 1;
    while (z[j] && z[j] != '"')
      j++;
    if (z[j] != '"')
      return fail(p, "a string is not closed with '\"'");
    int id = new_node(p, K_STR);
    if (id < 0)
      return -1;
    p->r->a[id].z = sws_strndup(z + 1, j - 1);
    p->i += j + 1;
    return id;
  }
  if (*z == '(') {
    p->i++;
    int id = parse_expr(p);
    if (id < 0)
      return -1;
    if (!punct(p, ")"))
      return fail(p, "expected ')'");
    return id;
  }
  if (*z == '[') {
    p->i++;
    int id = new_node(p, K_LIST);
    if (id < 0)
      return -1;
    return parse_args(p, id, "]");
  }
  if (isalpha((unsigned char)*z) || *z == '_') {
    size_t j = 0;
    while (is_word_char((unsigned char)z[j]) ||
           (z[j] == '.' && is_word_char((unsigned char)z[j + 1])))
      j++;
    if (j > 64)
      return fail(p, "a name is too long");
    char zName[72];
    memcpy(zName, z, j);
    zName[j] = '\0';
    p->i += j;
    if (strcmp(zName, "true") == 0 || strcmp(zName, "false") == 0) {
      int id = new_node(p, K_BOOL);
      if (id < 0)
        return -1;
      p->r->a[id].n = zName[0] == 't';
      return id;
    }
    static const char *const KW[] = {"and", "or", "not", "in", "between"};
    for (size_t k = 0; k < sizeof KW / sizeof KW[0]; k++)
      if (strcmp(zName, KW[k]) == 0)
        return fail(p, "expected a value");
    if (punct(p, "(")) {
      static const char *const FN[] = {"has", "members", "min", "max",
                                       "known"};
      static const int NARGS[] = {2, 1, 2, 2, 1};
      int f = -1;
      for (int k = 0; k < 5; k++)
        if (strcmp(zName, FN[k]) == 0)
          f = k;
      if (f < 0)
        return fail(p, "unknown function (has, members, min, max, known)");
      /* members() inside members() would multiply the work by the
       * household's size at each level, and its member.* could only
       * name the inner member anyway */
      if (f == F_MEMBERS && p->inMembers)
        return fail(p, "members() cannot be inside members()");
      int id = new_node(p, K_FUNC);
      if (id < 0)
        return -1;
      p->r->a[id].op = f;
      p->inMembers += f == F_MEMBERS;
      if (parse_args(p, id, ")") < 0)
        return -1;
      p->inMembers -= f == F_MEMBERS;
      if (p->r->a[id].nList != NARGS[f])
        return fail(p, "wrong number of arguments");
      return id;
    }
    int id = new_node(p, K_NAME);
    if (id < 0)
      return -1;
    p->r->a[id].z = sws_strdup(zName);
    return id;
  }
  return fail(p, *z ? "expected a value" : "the rule ends too early");
}

static int parse_unary(struct parser *p)
{
  if (++p->depth > RULE_MAX_DEPTH)
    return fail(p, "the rule is nested too deeply");
  int id;
  if (punct(p, "-")) {
    int kid = parse_unary(p);
    if (kid < 0)
      return -1;
    if ((id = new_node(p, K_NEG)) < 0)
      return -1;
    p->r->a[id].aKid[0] = kid;
  } else {
    id = parse_atom(p);
  }
  p->depth--;
  return id;
}

static int binary(struct parser *p, int kind, int op, int a, int b)
{
  int id = new_node(p, kind);
  if (id < 0)
    return -1;
  p->r->a[id].op = op;
  p->r->a[id].aKid[0] = a;
  p->r->a[id].aKid[1] = b;
  return id;
}

static int parse_prod(struct parser *p)
{
  int a = parse_unary(p);
  while (a >= 0) {
    int op = punct(p, "*") ? '*' : punct(p, "/") ? '/' : 0;
    if (!op)
      break;
    int b = parse_unary(p);
    if (b < 0)
      return -1;
    a = binary(p, K_ARITH, op, a, b);
  }
  return a;
}

static int parse_sum(struct parser *p)
{
  int a = parse_prod(p);
  while (a >= 0) {
    int op = punct(p, "+") ? '+' : punct(p, "-") ? '-' : 0;
    if (!op)
      break;
    int b = parse_prod(p);
    if (b < 0)
      return -1;
    a = binary(p, K_ARITH, op, a, b);
  }
  return a;
}

static int parse_cmp(struct parser *p)
{
  int a = parse_sum(p);
  if (a < 0)
    return -1;
  static const struct {
    const char *z;
    int op;
  } OPS[] = {{"==", C_EQ}, {"!=", C_NE}, {"<=", C_LE},
             {">=", C_GE}, {"<", C_LT},  {">", C_GT}};
  for (size_t k = 0; k < sizeof OPS / sizeof OPS[0]; k++) {
    if (punct(p, OPS[k].z)) {
      int b = parse_sum(p);
      if (b < 0)
        return -1;
      return binary(p, K_CMP, OPS[k].op, a, b);
    }
  }
  if (keyword(p, "in")) {
    skip_space(p);
    if (p->z[p->i] != '[')
      return fail(p, "expected a list [..] after 'in'");
    int b = parse_atom(p);
    if (b < 0)
      return -1;
    return binary(p, K_IN, 0, a, b);
  }
  if (keyword(p, "between")) {
    int lo = parse_sum(p);
    if (lo < 0)
      return -1;
    if (!keyword(p, "and"))
      return fail(p, "expected 'and' in 'between ... and ...'");
    int hi = parse_sum(p);
    if (hi < 0)
      return -1;
    int id = binary(p, K_BETWEEN, 0, a, lo);
    if (id >= 0)
      p->r->a[id].aKid[2] = hi;
    return id;
  }
  return a;
}

static int parse_not(struct parser *p)
{
  if (++p->depth > RULE_MAX_DEPTH)
    return fail(p, "the rule is nested too deeply");
  int id;
  if (keyword(p, "not")) {
    int kid = parse_not(p);
    if (kid < 0)
      return -1;
    if ((id = new_node(p, K_NOT)) < 0)
      return -1;
    p->r->a[id].aKid[0] = kid;
  } else {
    id = parse_cmp(p);
  }
  p->depth--;
  return id;
}

static int parse_and(struct parser *p)
{
  int a = parse_not(p);
  while (a >= 0 && keyword(p, "and")) {
    int b = parse_not(p);
    if (b < 0)
      return -1;
    a = binary(p, K_AND, 0, a, b);
  }
  return a;
}

static int parse_expr(struct parser *p)
{
  if (++p->depth > RULE_MAX_DEPTH)
    return fail(p, "the rule is nested too deeply");
  int a = parse_and(p);
  while (a >= 0 && keyword(p, "or")) {
    int b = parse_and(p);
    if (b < 0)
      return -1;
    a = binary(p, K_OR, 0, a, b);
  }
  p->depth--;
  return a;
}

void rule_free(struct rule *r)
{
  if (r == NULL)
    return;
  for (int i = 0; i < r->n; i++) {
    free(r->a[i].z);
    free(r->a[i].aList);
  }
  free(r->a);
  free(r->zText);
  free(r);
}

int rule_compile(struct rule **out, const char *zText, struct sws_err *err)
{
  struct rule *r = sws_calloc(1, sizeof *r);
  struct parser p = {r, zText, 0, 0, err, 0, 0};
  *out = NULL;
  if (strlen(zText) > RULE_MAX_TEXT) {
    rule_free(r);
    return sws_err_set(err, SWS_ETOOBIG, "a rule is longer than %d "
                       "characters", RULE_MAX_TEXT);
  }
  r->zText = sws_strdup(zText);
  p.z = r->zText;
  r->root = parse_expr(&p);
  if (r->root >= 0) {
    skip_space(&p);
    if (p.z[p.i] != '\0')
      r->root = fail(&p, "unexpected text");
  }
  if (r->root < 0) {
    rule_free(r);
    return SWS_EINVAL;
  }
  *out = r;
  return SWS_OK;
}

const char *rule_text(const struct rule *r)
{
  return r->zText;
}

/* ---- evaluation ---- */

struct evalctx {
  const struct rule *r;
  const struct rule_env *env;
  struct buf *used;
  int quiet; /* inside members(): do not list per-member facts */
  struct sws_err *err;
};

void rule_value_format(const struct rule_value *v, struct buf *out)
{
  switch (v->type) {
  case RV_BOOL: buf_puts(out, v->b ? "yes" : "no"); break;
  case RV_NUMBER:
    if (v->n == floor(v->n) && fabs(v->n) < 1e15)
      buf_appendf(out, "%.0f", v->n);
    else
      buf_appendf(out, "%g", v->n);
    break;
  case RV_STRING: buf_appendf(out, "\"%s\"", v->z); break;
  case RV_LIST:
    buf_putc(out, '[');
    for (int i = 0; i < v->nList; i++)
      buf_appendf(out, "%s%s", i ? ", " : "", v->az[i]);
    buf_putc(out, ']');
    break;
  default: buf_puts(out, "unknown");
  }
}

static const char *type_name(int t)
{
  switch (t) {
  case RV_BOOL: return "a yes/no";
  case RV_NUMBER: return "a number";
  case RV_STRING: return "a text";
  case RV_LIST: return "a list";
  }
  return "unknown";
}

static int type_error(struct evalctx *e, const char *zWhat)
{
  return sws_err_set(e->err, SWS_EINVAL, "rule '%.60s': %s", e->r->zText,
                     zWhat);
}

static int eval(struct evalctx *e, int id, struct rule_value *out);

static void note_fact(struct evalctx *e, const char *zName,
                      const struct rule_value *v)
{
  if (e->used == NULL || e->quiet)
    return;
  struct buf one = BUF_INIT;
  buf_appendf(&one, "%s = ", zName);
  rule_value_format(v, &one);
  buf_puts(&one, "; ");
  if (strstr(buf_str(e->used), buf_str(&one)) == NULL)
    buf_puts(e->used, buf_str(&one));
  buf_release(&one);
}

static int truth(struct evalctx *e, int id, int *out3)
{
  /* out3: 1 true, 0 false, -1 unknown */
  struct rule_value v;
  int rc = eval(e, id, &v);
  if (rc != 0)
    return rc;
  if (v.type == RV_UNKNOWN) {
    *out3 = -1;
    return 0;
  }
  if (v.type != RV_BOOL)
    return type_error(e, "'and', 'or' and 'not' need yes/no values");
  *out3 = v.b;
  return 0;
}

static int compare(struct evalctx *e, int op, const struct rule_value *a,
                   const struct rule_value *b, struct rule_value *out)
{
  int c;
  if (a->type == RV_UNKNOWN || b->type == RV_UNKNOWN) {
    out->type = RV_UNKNOWN;
    return 0;
  }
  if (a->type != b->type) {
    char z[128];
    snprintf(z, sizeof z, "cannot compare %s with %s", type_name(a->type),
             type_name(b->type));
    return type_error(e, z);
  }
  switch (a->type) {
  case RV_NUMBER: c = a->n < b->n ? -1 : a->n > b->n; break;
  case RV_STRING: c = strcmp(a->z, b->z); break;
  case RV_BOOL: c = a->b - b->b; break;
  default: return type_error(e, "lists cannot be compared; use has()");
  }
  if (a->type == RV_BOOL && op != C_EQ && op != C_NE)
    return type_error(e, "yes/no values only compare with == and !=");
  out->type = RV_BOOL;
  switch (op) {
  case C_EQ: out->b = c == 0; break;
  case C_NE: out->b = c != 0; break;
  case C_LT: out->b = c < 0; break;
  case C_LE: out->b = c <= 0; break;
  case C_GT: out->b = c > 0; break;
  default: out->b = c >= 0; break;
  }
  return 0;
}

static int eval(struct evalctx *e, int id, struct rule_value *out)
{
  const struct node *nd = &e->r->a[id];
  struct rule_value a, b, c;
  int rc, ta, tb;
  memset(out, 0, sizeof *out);
  switch (nd->kind) {
  case K_NUM:
    out->type = RV_NUMBER;
    out->n = nd->n;
    return 0;
  case K_STR:
    out->type = RV_STRING;
    out->z = nd->z;
    return 0;
  case K_BOOL:
    out->type = RV_BOOL;
    out->b = nd->n != 0;
    return 0;
  case K_NAME:
    if (e->env->lookup(e->env->arg, nd->z, out) != 0)
      return sws_err_set(e->err, SWS_EINVAL, "rule '%.60s': no fact named "
                         "'%s'", e->r->zText, nd->z);
    note_fact(e, nd->z, out);
    return 0;
  case K_LIST:
    return type_error(e, "a list [..] can only follow 'in' or be given to "
                      "has()");
  case K_NEG:
    if ((rc = eval(e, nd->aKid[0], &a)) != 0)
      return rc;
    if (a.type == RV_UNKNOWN)
      return 0;
    if (a.type != RV_NUMBER)
      return type_error(e, "'-' needs a number");
    out->type = RV_NUMBER;
    out->n = -a.n;
    return 0;
  case K_NOT:
    if ((rc = truth(e, nd->aKid[0], &ta)) != 0)
      return rc;
    if (ta >= 0) {
      out->type = RV_BOOL;
      out->b = !ta;
    }
    return 0;
  case K_AND:
  case K_OR: {
    int want = nd->kind == K_OR; /* the value that decides */
    if ((rc = truth(e, nd->aKid[0], &ta)) != 0)
      return rc;
    if (ta == want) {
      out->type = RV_BOOL;
      out->b = want;
      return 0;
    }
    if ((rc = truth(e, nd->aKid[1], &tb)) != 0)
      return rc;
    if (tb == want) {
      out->type = RV_BOOL;
      out->b = want;
    } else if (ta >= 0 && tb >= 0) {
      out->type = RV_BOOL;
      out->b = !want;
    }
    return 0;
  }
  case K_CMP:
    if ((rc = eval(e, nd->aKid[0], &a)) != 0 ||
        (rc = eval(e, nd->aKid[1], &b)) != 0)
      return rc;
    return compare(e, nd->op, &a, &b, out);
  case K_BETWEEN:
    if ((rc = eval(e, nd->aKid[0], &a)) != 0 ||
        (rc = eval(e, nd->aKid[1], &b)) != 0 ||
        (rc = eval(e, nd->aKid[2], &c)) != 0)
      return rc;
    {
      struct rule_value lo, hi;
      if ((rc = compare(e, C_GE, &a, &b, &lo)) != 0 ||
          (rc = compare(e, C_LE, &a, &c, &hi)) != 0)
        return rc;
      if (lo.type == RV_UNKNOWN || hi.type == RV_UNKNOWN)
        return 0;
      out->type = RV_BOOL;
      out->b = lo.b && hi.b;
    }
    return 0;
  case K_IN: {
    const struct node *list = &e->r->a[nd->aKid[1]];
    if ((rc = eval(e, nd->aKid[0], &a)) != 0)
      return rc;
    if (a.type == RV_UNKNOWN)
      return 0;
    out->type = RV_BOOL;
    out->b = 0;
    for (int i = 0; i < list->nList && !out->b; i++) {
      struct rule_value item, eq;
      if ((rc = eval(e, list->aList[i], &item)) != 0 ||
          (rc = compare(e, C_EQ, &a, &item, &eq)) != 0)
        return rc;
      if (eq.type == RV_BOOL && eq.b)
        out->b = 1;
    }
    return 0;
  }
  case K_ARITH:
    if ((rc = eval(e, nd->aKid[0], &a)) != 0 ||
        (rc = eval(e, nd->aKid[1], &b)) != 0)
      return rc;
    if (a.type == RV_UNKNOWN || b.type == RV_UNKNOWN)
      return 0;
    if (a.type != RV_NUMBER || b.type != RV_NUMBER)
      return type_error(e, "arithmetic needs numbers");
    out->type = RV_NUMBER;
    switch (nd->op) {
    case '+': out->n = a.n + b.n; break;
    case '-': out->n = a.n - b.n; break;
    case '*': out->n = a.n * b.n; break;
    default:
      if (b.n == 0) {
        out->type = RV_UNKNOWN; /* nothing sensible to say */
        return 0;
      }
      out->n = a.n / b.n;
    }
    if (!isfinite(out->n))
      out->type = RV_UNKNOWN;
    return 0;
  case K_FUNC:
    switch (nd->op) {
    case F_KNOWN:
      if ((rc = eval(e, nd->aList[0], &a)) != 0)
        return rc;
      out->type = RV_BOOL;
      out->b = a.type != RV_UNKNOWN;
      return 0;
    case F_MIN:
    case F_MAX:
      if ((rc = eval(e, nd->aList[0], &a)) != 0 ||
          (rc = eval(e, nd->aList[1], &b)) != 0)
        return rc;
      if (a.type == RV_UNKNOWN || b.type == RV_UNKNOWN)
        return 0;
      if (a.type != RV_NUMBER || b.type != RV_NUMBER)
        return type_error(e, "min() and max() need numbers");
      out->type = RV_NUMBER;
      out->n = (nd->op == F_MIN) == (a.n < b.n) ? a.n : b.n;
      return 0;
    case F_HAS: {
      const struct node *xs = &e->r->a[nd->aList[0]];
      if ((rc = eval(e, nd->aList[1], &b)) != 0)
        return rc;
      if (xs->kind == K_LIST) {
        out->type = RV_BOOL;
        for (int i = 0; i < xs->nList && !out->b; i++) {
          struct rule_value item, eq;
          if ((rc = eval(e, xs->aList[i], &item)) != 0 ||
              (rc = compare(e, C_EQ, &item, &b, &eq)) != 0)
            return rc;
          out->b = eq.type == RV_BOOL && eq.b;
        }
        return 0;
      }
      if ((rc = eval(e, nd->aList[0], &a)) != 0)
        return rc;
      if (a.type == RV_UNKNOWN || b.type == RV_UNKNOWN)
        return 0;
      if (b.type != RV_STRING)
        return type_error(e, "has(list, \"value\") looks for a text");
      out->type = RV_BOOL;
      if (a.type == RV_STRING) {
        out->b = strcmp(a.z, b.z) == 0;
      } else if (a.type == RV_LIST) {
        for (int i = 0; i < a.nList && !out->b; i++)
          out->b = strcmp(a.az[i], b.z) == 0;
      } else {
        return type_error(e, "has() looks in a list or a text");
      }
      return 0;
    }
    case F_MEMBERS: {
      if (e->env->member_count == NULL || e->env->member_select == NULL)
        return type_error(e, "members() is only for household rules");
      int n = e->env->member_count(e->env->arg), count = 0, quiet = e->quiet;
      e->quiet = 1;
      for (int i = 0; i < n; i++) {
        int t;
        e->env->member_select(e->env->arg, i);
        if ((rc = truth(e, nd->aList[0], &t)) != 0) {
          e->env->member_select(e->env->arg, -1);
          e->quiet = quiet;
          return rc;
        }
        count += t == 1;
      }
      e->env->member_select(e->env->arg, -1);
      e->quiet = quiet;
      out->type = RV_NUMBER;
      out->n = count;
      if (e->used && !e->quiet) {
        struct buf z = BUF_INIT;
        buf_appendf(&z, "members matching = %d; ", count);
        buf_puts(e->used, buf_str(&z));
        buf_release(&z);
      }
      return 0;
    }
    }
    break;
  }
  return type_error(e, "cannot evaluate");
}

int rule_eval(const struct rule *r, const struct rule_env *env,
              struct rule_value *out, struct buf *used, struct sws_err *err)
{
  struct evalctx e = {r, env, used, 0, err};
  return eval(&e, r->root, out);
}
