/*
 * render.c - household text and JSON (see render.h).
 */
#include "pos/render.h"

#include <string.h>

#include "cases/area.h"
#include "pos/cli.h"

/* What was not recorded is null in JSON, never "": one rule for every field. */
static const char *or_null(const char *z)
{
  return z[0] ? z : NULL;
}

static json_t *member_json(const struct member *m)
{
  char zSex[2] = {m->sex, 0};
  return json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:b, s:s}",
                   "number", m->line_no, "id", m->zId, "name", m->zName, "sex",
                   zSex, "born", m->zBorn, "relationship",
                   cases_relationship_name(m->relationship), "national_id",
                   or_null(m->zNationalId), "phone", or_null(m->zPhone),
                   "disability", m->disability, "status", m->zStatus);
}

json_t *render_household_json(struct sws_ctx *ctx, const struct household *h)
{
  struct buf path = BUF_INIT;
  cases_area_path(ctx, h->zArea, 1, &path, NULL);
  json_t *members = json_array();
  for (int i = 0; i < h->nMember; i++)
    json_array_append_new(members, member_json(&h->aMember[i]));
  json_t *j = json_pack(
      "{s:s, s:s, s:s, s:s, s:s?, s:s?, s:s, s:s?, s:s, s:s, s:s, s:o}", "id",
      h->zId, "regno", h->zRegno, "area", h->zArea, "area_path", buf_str(&path),
      "address", or_null(h->zAddress), "phone", or_null(h->zPhone), "status",
      h->zStatus, "status_reason", or_null(h->zStatusReason), "created_at",
      h->zCreatedAt, "created_by", h->zCreatedBy, "updated_at", h->zUpdatedAt,
      "members", members);
  buf_release(&path);
  return j;
}

void render_household_text(struct sws_ctx *ctx, const struct household *h,
                           FILE *out)
{
  struct buf path = BUF_INIT;
  cases_area_path(ctx, h->zArea, 1, &path, NULL);
  fprintf(out, "%s%s\n", h->zRegno,
          strcmp(h->zStatus, "active") ? "  (DEACTIVATED)" : "");
  if (h->zStatusReason[0])
    fprintf(out, "status:     %s: %s\n", h->zStatus, h->zStatusReason);
  fprintf(out, "village:    %s  %s\n", h->zArea, buf_str(&path));
  if (h->zAddress[0])
    fprintf(out, "address:    %s\n", h->zAddress);
  if (h->zPhone[0])
    fprintf(out, "phone:      %s\n", h->zPhone);
  char zWhen[CLI_WHEN_MAX];
  fprintf(out, "registered: %s by %s\n", cli_when(zWhen, h->zCreatedAt),
          h->zCreatedBy);
  fprintf(out, "members:\n");
  for (int i = 0; i < h->nMember; i++) {
    const struct member *m = &h->aMember[i];
    fprintf(out, "  %2d  %s  %c  born %s  %s", m->line_no, m->zName, m->sex,
            m->zBorn, cases_relationship_name(m->relationship));
    if (m->zNationalId[0])
      fprintf(out, "  ID %s", m->zNationalId);
    if (m->zPhone[0])
      fprintf(out, "  phone %s", m->zPhone);
    if (m->disability)
      fprintf(out, "  disability");
    if (strcmp(m->zStatus, "active") != 0)
      fprintf(out, "  (%s)", m->zStatus);
    fputc('\n', out);
  }
  buf_release(&path);
}
