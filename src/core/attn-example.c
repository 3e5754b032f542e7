/* attn-example.c
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "attn-error.h"
#include "attn-example-private.h"

G_DEFINE_BOXED_TYPE (AttnExample, attn_example, attn_example_ref, attn_example_unref)

/* Rows further than this from 1 are renormalised (with a warning). */
#define ROW_SUM_TOLERANCE 1e-3

static void
candidate_clear (gpointer data)
{
  AttnCandidate *candidate = data;

  g_clear_pointer (&candidate->label, g_free);
}

static void
reference_free (gpointer data)
{
  AttnReference *reference = data;

  g_free (reference->name);
  g_free (reference->values);
  g_free (reference);
}

AttnExample *
_attn_example_new (void)
{
  AttnExample *self = g_new0 (AttnExample, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->candidates = g_array_new (FALSE, TRUE, sizeof (AttnCandidate));
  g_array_set_clear_func (self->candidates, candidate_clear);
  self->references = g_ptr_array_new_with_free_func (reference_free);

  return self;
}

static void
attn_example_free (AttnExample *self)
{
  g_free (self->id);
  g_free (self->label);
  g_free (self->text);
  g_free (self->model);
  g_strfreev (self->tokens);
  g_free (self->prediction_label);
  g_array_unref (self->candidates);
  g_ptr_array_unref (self->references);
  g_clear_pointer (&self->storage, g_bytes_unref);
  g_free (self->row_scale);
  g_free (self);
}

/**
 * attn_example_ref:
 * @self: an #AttnExample
 *
 * Returns: (transfer full): @self with one more reference
 */
AttnExample *
attn_example_ref (AttnExample *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * attn_example_unref:
 * @self: (transfer full): an #AttnExample
 *
 * Drops one reference; frees @self when it was the last.
 */
void
attn_example_unref (AttnExample *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    attn_example_free (self);
}

/* IEEE half to double by moving the bits (every half is exact in a float);
 * no libm call, as this runs for every stored number of a float16 input. */
static inline double
half_to_double (guint16 h)
{
  guint32 sign = (guint32) (h & 0x8000) << 16;
  guint32 exponent = (h >> 10) & 0x1f;
  guint32 mantissa = h & 0x3ff;
  guint32 bits;
  float f;

  if (exponent == 0)
    {
      /* zero and subnormals: mantissa * 2^-24, exact */
      f = (float) mantissa * (1.f / 16777216.f);
      return sign ? -(double) f : (double) f;
    }
  if (exponent == 31)
    bits = sign | 0x7f800000u | (mantissa << 13);
  else
    bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
  memcpy (&f, &bits, sizeof f);
  return f;
}

double
_attn_half_to_double (guint16 h)
{
  return half_to_double (h);
}

static inline double
stored_value (const AttnExample *self,
              gsize              offset)
{
  switch (self->dtype)
    {
    case ATTN_DTYPE_FLOAT16:
      {
        guint16 h;
        memcpy (&h, (const guint8 *) self->data + offset * 2, 2);
        return half_to_double (GUINT16_FROM_LE (h));
      }
    case ATTN_DTYPE_FLOAT32:
      {
        guint32 bits;
        float f;
        memcpy (&bits, (const guint8 *) self->data + offset * 4, 4);
        bits = GUINT32_FROM_LE (bits);
        memcpy (&f, &bits, 4);
        return f;
      }
    case ATTN_DTYPE_FLOAT64:
    default:
      {
        guint64 bits;
        double d;
        memcpy (&bits, (const guint8 *) self->data + offset * 8, 8);
        bits = GUINT64_FROM_LE (bits);
        memcpy (&d, &bits, 8);
        return d;
      }
    }
}

/* Reads one stored row as doubles, without the renormalisation factor. */
static void
read_stored_row (const AttnExample *self,
                 gsize              row_index,
                 double            *out)
{
  gsize n = self->n_tokens;
  gsize base = row_index * n;

#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  if (self->dtype == ATTN_DTYPE_FLOAT32)
    {
      const float *f = (const float *) self->data + base;
      for (gsize k = 0; k < n; k++)
        out[k] = f[k];
      return;
    }
  if (self->dtype == ATTN_DTYPE_FLOAT64)
    {
      memcpy (out, (const double *) self->data + base, n * sizeof (double));
      return;
    }
  if (self->dtype == ATTN_DTYPE_FLOAT16)
    {
      const guint16 *h = (const guint16 *) self->data + base;
      for (gsize k = 0; k < n; k++)
        out[k] = half_to_double (h[k]);
      return;
    }
#endif

  for (gsize k = 0; k < n; k++)
    out[k] = stored_value (self, base + k);
}

/*
 * _attn_example_validate:
 * Checks every row of the attention (finite, >= 0, non-zero sum) and records
 * the factor for rows whose sum is further than 1e-3 from 1. Adds one warning
 * to @warnings when any row of this example was renormalised.
 */
gboolean
_attn_example_validate (AttnExample  *self,
                        GPtrArray    *warnings,
                        GError      **error)
{
  gsize n = self->n_tokens;
  gsize n_rows = (gsize) self->n_layers * self->n_heads * n;
  g_autofree double *row = g_new (double, n);
  g_autofree double *scale = NULL;
  gsize n_renormalised = 0;
  double worst = 0.;

  g_assert (self->data != NULL);
  g_assert (self->label != NULL);

  for (gsize r = 0; r < n_rows; r++)
    {
      guint layer = (guint) (r / ((gsize) self->n_heads * n)) + 1;
      guint head = (guint) ((r / n) % self->n_heads);
      guint query = (guint) (r % n);
      double sum = 0.;

      read_stored_row (self, r, row);

      for (gsize k = 0; k < n; k++)
        {
          if (!isfinite (row[k]) || row[k] < 0.)
            {
              if (self->head_mixed)
                g_set_error (error, ATTN_ERROR, ATTN_ERROR_VALUE,
                             /* translators: %s is the example, then layer, row and column numbers */
                             _("Example “%s”, field “attention”: layer %u, row %u, column %u holds %g; "
                               "attention must be finite and not negative"),
                             self->label, layer, query, (guint) k, row[k]);
              else
                g_set_error (error, ATTN_ERROR, ATTN_ERROR_VALUE,
                             /* translators: %s is the example, then layer, head, row and column numbers */
                             _("Example “%s”, field “attention”: layer %u, head %u, row %u, column %u "
                               "holds %g; attention must be finite and not negative"),
                             self->label, layer, head, query, (guint) k, row[k]);
              return FALSE;
            }
          sum += row[k];
        }

      if (sum <= 0.)
        {
          if (self->head_mixed)
            g_set_error (error, ATTN_ERROR, ATTN_ERROR_VALUE,
                         _("Example “%s”, field “attention”: layer %u, row %u sums to zero"),
                         self->label, layer, query);
          else
            g_set_error (error, ATTN_ERROR, ATTN_ERROR_VALUE,
                         _("Example “%s”, field “attention”: layer %u, head %u, row %u sums to zero"),
                         self->label, layer, head, query);
          return FALSE;
        }

      if (!isfinite (sum))
        {
          g_set_error (error, ATTN_ERROR, ATTN_ERROR_VALUE,
                       _("Example “%s”, field “attention”: layer %u, row %u overflows"),
                       self->label, layer, query);
          return FALSE;
        }

      if (fabs (sum - 1.) > ROW_SUM_TOLERANCE)
        {
          if (scale == NULL)
            {
              scale = g_new (double, n_rows);
              for (gsize i = 0; i < n_rows; i++)
                scale[i] = 1.;
            }
          scale[r] = 1. / sum;
          n_renormalised++;
          worst = MAX (worst, fabs (sum - 1.));
        }
    }

  g_free (self->row_scale);
  self->row_scale = g_steal_pointer (&scale);

  if (n_renormalised > 0 && warnings != NULL)
    g_ptr_array_add (warnings,
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "Example “%s”: %zu attention row did not sum to 1 "
                                                   "(off by up to %.3g) and was renormalised",
                                                   "Example “%s”: %zu attention rows did not sum to 1 "
                                                   "(off by up to %.3g) and were renormalised",
                                                   n_renormalised),
                                      self->label, n_renormalised, worst));

  return TRUE;
}

/**
 * attn_example_new_from_doubles:
 * @id: (nullable): the example's id
 * @tokens: (array zero-terminated=1): the n tokens
 * @n_layers: L, at least 1
 * @n_heads: H, at least 1 (use 1 for head-mixed attention)
 * @attention: (array): L * H * n * n values in C order
 * @error: return location for an error
 *
 * Builds an example from values in memory (tests, synthetic inputs). The
 * attention is copied and validated exactly as the loader does.
 *
 * Returns: (transfer full) (nullable): the example, or %NULL with @error set
 */
AttnExample *
attn_example_new_from_doubles (const char         *id,
                               const char * const *tokens,
                               guint               n_layers,
                               guint               n_heads,
                               const double       *attention,
                               GError            **error)
{
  g_autoptr(AttnExample) self = NULL;
  guint n;
  gsize count;

  g_return_val_if_fail (tokens != NULL, NULL);
  g_return_val_if_fail (attention != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  n = g_strv_length ((char **) tokens);
  if (n == 0 || n_layers == 0 || n_heads == 0)
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_SHAPE,
                   _("Example “%s”: tokens, layers and heads must not be empty"),
                   id ? id : "0");
      return NULL;
    }

  if (!g_size_checked_mul (&count, n_layers, n_heads) ||
      !g_size_checked_mul (&count, count, n) ||
      !g_size_checked_mul (&count, count, n) ||
      count > G_MAXSIZE / sizeof (double))
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_SHAPE,
                   _("Example “%s”: the attention shape is too large"), id ? id : "0");
      return NULL;
    }

  self = _attn_example_new ();
  self->id = g_strdup (id);
  self->label = g_strdup (id ? id : "0");
  self->tokens = g_strdupv ((char **) tokens);
  self->n_tokens = n;
  self->n_layers = n_layers;
  self->n_heads = n_heads;
  self->head_mixed = FALSE;
  self->dtype = ATTN_DTYPE_FLOAT64;
  self->storage = g_bytes_new (attention, count * sizeof (double));
  self->data = g_bytes_get_data (self->storage, NULL);

  if (!_attn_example_validate (self, NULL, error))
    return NULL;

  return g_steal_pointer (&self);
}

guint
attn_example_get_index (const AttnExample *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->index;
}

/**
 * attn_example_get_id:
 *
 * Returns: (nullable): the `id` field, if the file gave one
 */
const char *
attn_example_get_id (const AttnExample *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->id;
}

/**
 * attn_example_get_label:
 *
 * Returns: the id, or the 0-based index as a string when there is none
 */
const char *
attn_example_get_label (const AttnExample *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->label;
}

const char *
attn_example_get_text (const AttnExample *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->text;
}

const char *
attn_example_get_model (const AttnExample *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->model;
}

guint
attn_example_get_n_tokens (const AttnExample *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_tokens;
}

const char * const *
attn_example_get_tokens (const AttnExample *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return (const char * const *) self->tokens;
}

const char *
attn_example_get_token (const AttnExample *self,
                        guint              position)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (position < self->n_tokens, NULL);
  return self->tokens[position];
}

guint
attn_example_get_n_layers (const AttnExample *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_layers;
}

guint
attn_example_get_n_heads (const AttnExample *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_heads;
}

gboolean
attn_example_get_head_mixed (const AttnExample *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->head_mixed;
}

guint
attn_example_get_focus (const AttnExample *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->focus;
}

/**
 * attn_dtype_get_name:
 * @dtype: a storage type
 *
 * Returns: the type's name in the file format ("float16", "float32" or "float64")
 */
const char *
attn_dtype_get_name (AttnDtype dtype)
{
  switch (dtype)
    {
    case ATTN_DTYPE_FLOAT16:
      return "float16";
    case ATTN_DTYPE_FLOAT32:
      return "float32";
    case ATTN_DTYPE_FLOAT64:
    default:
      return "float64";
    }
}

AttnDtype
attn_example_get_dtype (const AttnExample *self)
{
  g_return_val_if_fail (self != NULL, ATTN_DTYPE_FLOAT64);
  return self->dtype;
}

const char *
attn_example_get_prediction_label (const AttnExample *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->prediction_label;
}

guint
attn_example_get_n_candidates (const AttnExample *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->candidates->len;
}

const AttnCandidate *
attn_example_get_candidate (const AttnExample *self,
                            guint              index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->candidates->len, NULL);
  return &g_array_index (self->candidates, AttnCandidate, index);
}

guint
attn_example_get_n_references (const AttnExample *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->references->len;
}

const char *
attn_example_get_reference_name (const AttnExample *self,
                                 guint              index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->references->len, NULL);
  return ((AttnReference *) g_ptr_array_index (self->references, index))->name;
}

/**
 * attn_example_get_reference:
 * @name: a key of the `references` object, such as "gradient"
 *
 * Returns: (nullable) (array): n values, or %NULL when the example has no such reference
 */
const double *
attn_example_get_reference (const AttnExample *self,
                            const char        *name)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < self->references->len; i++)
    {
      AttnReference *reference = g_ptr_array_index (self->references, i);
      if (g_str_equal (reference->name, name))
        return reference->values;
    }

  return NULL;
}

static inline gsize
row_index (const AttnExample *self,
           guint              layer,
           guint              head,
           guint              query)
{
  return ((gsize) (layer - 1) * self->n_heads + head) * self->n_tokens + query;
}

/**
 * attn_example_get_attention:
 * @layer: 1..L
 * @head: 0..H-1
 *
 * Returns: the attention @query pays to @key, renormalised when its row was off
 */
double
attn_example_get_attention (const AttnExample *self,
                            guint              layer,
                            guint              head,
                            guint              query,
                            guint              key)
{
  gsize r;

  g_return_val_if_fail (self != NULL, 0.);
  g_return_val_if_fail (layer >= 1 && layer <= self->n_layers, 0.);
  g_return_val_if_fail (head < self->n_heads, 0.);
  g_return_val_if_fail (query < self->n_tokens && key < self->n_tokens, 0.);

  r = row_index (self, layer, head, query);
  return stored_value (self, r * self->n_tokens + key) * (self->row_scale ? self->row_scale[r] : 1.);
}

/**
 * attn_example_read_row:
 * @layer: 1..L
 * @head: 0..H-1
 * @out: (out caller-allocates) (array): n doubles
 *
 * Reads one attention row in double precision, renormalised when it was off.
 */
void
attn_example_read_row (const AttnExample *self,
                       guint              layer,
                       guint              head,
                       guint              query,
                       double            *out)
{
  gsize r;

  g_return_if_fail (self != NULL);
  g_return_if_fail (layer >= 1 && layer <= self->n_layers);
  g_return_if_fail (head < self->n_heads);
  g_return_if_fail (query < self->n_tokens);
  g_return_if_fail (out != NULL);

  r = row_index (self, layer, head, query);
  read_stored_row (self, r, out);
  if (self->row_scale != NULL && self->row_scale[r] != 1.)
    for (guint k = 0; k < self->n_tokens; k++)
      out[k] *= self->row_scale[r];
}

/**
 * attn_example_read_matrix:
 * @out: (out caller-allocates) (array): n * n doubles
 *
 * Reads the attention matrix of one head of one layer in double precision.
 */
void
attn_example_read_matrix (const AttnExample *self,
                          guint              layer,
                          guint              head,
                          double            *out)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (out != NULL);

  for (guint q = 0; q < self->n_tokens; q++)
    attn_example_read_row (self, layer, head, q, out + (gsize) q * self->n_tokens);
}

/**
 * attn_token_is_special:
 * @token: a token
 *
 * Returns: %TRUE for tokenizer markers (`[CLS]`, `[SEP]`, `<s>`, `</s>`,
 *   `<|endoftext|>`, `[PAD]`, `<pad>`) and tokens made only of punctuation
 */
gboolean
attn_token_is_special (const char *token)
{
  static const char * const markers[] = {
    "[CLS]", "[SEP]", "[PAD]", "<s>", "</s>", "<pad>", "<|endoftext|>", NULL,
  };
  g_autofree char *stripped = NULL;
  gboolean any = FALSE;

  g_return_val_if_fail (token != NULL, FALSE);

  stripped = g_strstrip (g_strdup (token));
  if (g_strv_contains (markers, stripped))
    return TRUE;

  if (!g_utf8_validate (stripped, -1, NULL))
    return FALSE;

  for (const char *p = stripped; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      /* GPT-2's byte-level space marker */
      if (c == 0x0120)
        continue;
      if (!g_unichar_ispunct (c))
        return FALSE;
      any = TRUE;
    }

  return any;
}
