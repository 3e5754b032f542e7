/* attn-example-private.h: an example's storage (its tensors, references and candidates), for
 * the loader
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "attn-example.h"

G_BEGIN_DECLS

/* One reference vector in one allocation: the header, then @n_values
 * doubles, then the name (a file may hold a million of them). */
typedef struct
{
  gsize n_values;
} AttnReference;

AttnReference *_attn_reference_new (const char *name,
                                    gsize       n_values);

static inline double *
_attn_reference_values (AttnReference *reference)
{
  return (double *) (reference + 1);
}

static inline const char *
_attn_reference_name (const AttnReference *reference)
{
  return (const char *) ((const double *) (reference + 1) + reference->n_values);
}

/*
 * L x H x n x n values of @dtype in C order (layer, head, query row, key
 * column): the attention, or one kind of contributions. The values stay in
 * their stored dtype; @storage keeps them alive (decoded once, read from a
 * `.npy` file into memory the document owns, possibly shared by several
 * examples, or filled from nested arrays). @storage is %NULL when the values
 * lie inside the example's own allocation (small examples).
 */
typedef struct
{
  AttnDtype    dtype;
  guint        n_heads;    /* 1 when head_mixed */
  gboolean     head_mixed;
  const void  *data;
  GBytes      *storage;

  /* L * H * n factors applied to each stored row when read, or NULL when no
   * row needed renormalising (attention only). */
  double      *row_scale;
} AttnTensor;

/* What most examples do not have, allocated only when one of them is there. */
typedef struct
{
  char        *text;             /* nullable */
  char        *model;            /* nullable */
  char        *prediction_label; /* nullable */
  GArray      *candidates;       /* AttnCandidate, nullable */
  GPtrArray   *references;       /* AttnReference*, in file order, nullable */

  guint       *antecedents;      /* token indices, nullable */
  guint        n_antecedents;

  /* contributions[kind] for every kind but the attention; nullable */
  AttnTensor  *contributions[ATTN_N_WEIGHT_KINDS];
  char        *contributions_target; /* nullable */
} AttnExampleExtras;

struct _AttnExample
{
  gatomicrefcount    ref_count;

  guint              index;
  guint              n_tokens;
  guint              n_layers;
  guint              n_heads;    /* the attention's: 1 when head_mixed */
  gboolean           head_mixed;
  guint              focus;
  gboolean           packed;     /* id, label and tokens lie inside this allocation */

  char              *id;         /* nullable */
  const char        *label;      /* id, or the index as a string */
  char             **tokens;     /* n_tokens, NULL-terminated */

  AttnExampleExtras *extras;     /* nullable */
  /* GRefStrings shared by a file's examples (nullable): its top-level
   * `model` and its base name, set once the file is read */
  char              *file_model;
  char              *file_name;

  AttnTensor         attention;
};

GArray            *_attn_candidates_new         (void);
AttnExample       *_attn_example_new            (void);
AttnExampleExtras *_attn_example_get_extras     (AttnExample       *self);
void               _attn_example_set_label      (AttnExample       *self,
                                                 const char        *index_label);
void               _attn_example_set_file       (AttnExample       *self,
                                                 const char        *model,
                                                 const char        *name);
AttnExample       *_attn_example_pack           (AttnExample       *self);

gboolean           _attn_example_validate       (AttnExample       *self,
                                                 GPtrArray         *warnings,
                                                 GError           **error);
/* The rows of an attention tensor that were renormalised */
typedef struct
{
  gsize  n_rows;      /* how many */
  double worst;       /* how far from 1 the sum of the worst was */
  gsize  worst_row;   /* which row that was */
} AttnRenormalised;

gboolean           _attn_tensor_validate        (const AttnExample *self,
                                                 AttnTensor        *tensor,
                                                 const char        *field,
                                                 gboolean           renormalise,
                                                 AttnRenormalised  *renormalised,
                                                 GError           **error);
char              *_attn_example_renormalised_warning (const AttnExample      *self,
                                                       const AttnRenormalised *renormalised);
char              *_attn_tensor_describe_row    (const AttnExample *self,
                                                 const AttnTensor  *tensor,
                                                 gsize              r);
gboolean           _attn_tensor_count           (guint              n_layers,
                                                 guint              n_heads,
                                                 guint              n,
                                                 gsize             *count);
void               _attn_tensor_clear           (AttnTensor        *tensor);
void               _attn_tensor_read_row        (const AttnTensor  *tensor,
                                                 gsize              n,
                                                 gsize              row_index,
                                                 double            *out);

double             _attn_half_to_double         (guint16            h);

G_END_DECLS
