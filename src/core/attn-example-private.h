/* attn-example-private.h
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "attn-example.h"

G_BEGIN_DECLS

typedef struct
{
  char   *name;
  double *values; /* n_tokens */
} AttnReference;

struct _AttnExample
{
  gatomicrefcount  ref_count;

  guint            index;
  char            *id;        /* nullable */
  char            *label;     /* id, or the index as a string */
  char            *text;      /* nullable */
  char            *model;     /* nullable */

  char           **tokens;    /* n_tokens, NULL-terminated */
  guint            n_tokens;
  guint            n_layers;
  guint            n_heads;   /* 1 when head_mixed */
  gboolean         head_mixed;
  guint            focus;

  char            *prediction_label; /* nullable */
  GArray          *candidates;       /* AttnCandidate */
  GPtrArray       *references;       /* AttnReference*, in file order */

  /* L * H * n * n values of @dtype in C order, kept alive by @storage
   * (malloc'd, decoded once, or a mapped .npy file). */
  AttnDtype        dtype;
  const void      *data;
  GBytes          *storage;

  /* L * H * n factors applied to each stored row when read, or NULL when no
   * row needed renormalising. */
  double          *row_scale;
};

AttnExample *_attn_example_new        (void);
gboolean     _attn_example_validate   (AttnExample  *self,
                                       GPtrArray    *warnings,
                                       GError      **error);
double       _attn_half_to_double     (guint16       h);

G_END_DECLS
