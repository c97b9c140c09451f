/*
 * render.h - households as text for the terminal and as JSON (the one
 * JSON shape used by every command that prints a household).
 */
#ifndef SWS_POS_RENDER_H
#define SWS_POS_RENDER_H

#include <jansson.h>
#include <stdio.h>

#include "cases/household.h"

/* A new JSON object for h (see 'sws household show --help'). */
json_t *render_household_json(struct sws_ctx *ctx, const struct household *h);
/* h as readable text. */
void render_household_text(struct sws_ctx *ctx, const struct household *h,
                           FILE *out);

#endif
