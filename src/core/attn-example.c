/* attn-example.c: one example of an export: its tokens, attention, prediction,
 * references, antecedents and weight kinds (contributions)
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
#include "attn-keyword.h"
#include "attn-refcount.h"

G_DEFINE_BOXED_TYPE (AttnExample, attn_example, attn_example_ref, attn_example_unref)

/* Tensors up to this many bytes, and the strings of a packed example, live
 * inside the example's own allocation: a file of many small examples then
 * costs one allocation each. */
#define INLINE_DATA_MAX 256

static void
candidate_clear (gpointer data)
{
  AttnCandidate *candidate = data;

  g_clear_pointer (&candidate->label, g_free);
}

/* An empty array of AttnCandidate that frees their labels: an example's
 * `candidates`, and what the loader collects into one. */
GArray *
_attn_candidates_new (void)
{
  GArray *candidates = g_array_new (FALSE, TRUE, sizeof (AttnCandidate));

  g_array_set_clear_func (candidates, candidate_clear);
  return candidates;
}

AttnReference *
_attn_reference_new (const char *name,
                     gsize       n_values)
{
  gsize name_size = strlen (name) + 1;
  AttnReference *reference;

  g_assert (n_values <= (G_MAXSIZE - sizeof (AttnReference) - name_size) / sizeof (double));
  reference = g_malloc (sizeof (AttnReference) + n_values * sizeof (double) + name_size);
  reference->n_values = n_values;
  memcpy ((char *) _attn_reference_name (reference), name, name_size);
  return reference;
}

AttnExample *
_attn_example_new (void)
{
  AttnExample *self = g_new0 (AttnExample, 1);

  g_atomic_ref_count_init (&self->ref_count);
  return self;
}

/* The optional fields, created on first use. */
AttnExampleExtras *
_attn_example_get_extras (AttnExample *self)
{
  if (self->extras == NULL)
    {
      self->extras = g_new0 (AttnExampleExtras, 1);
      self->extras->candidates = _attn_candidates_new ();
      self->extras->references = g_ptr_array_new_with_free_func (g_free);
    }
  return self->extras;
}

/* How many values an L x H x n x n tensor holds, in @count; FALSE when
 * that many doubles would not fit in memory. */
gboolean
_attn_tensor_count (guint  n_layers,
                    guint  n_heads,
                    guint  n,
                    gsize *count)
{
  return g_size_checked_mul (count, n_layers, n_heads) &&
         g_size_checked_mul (count, *count, n) &&
         g_size_checked_mul (count, *count, n) &&
         *count <= G_MAXSIZE / sizeof (double);
}

void
_attn_tensor_clear (AttnTensor *tensor)
{
  g_clear_pointer (&tensor->storage, g_bytes_unref);
  g_clear_pointer (&tensor->row_scale, g_free);
  tensor->data = NULL;
}

static void
extras_free (AttnExampleExtras *extras)
{
  g_free (extras->text);
  g_free (extras->model);
  g_free (extras->prediction_label);
  g_array_unref (extras->candidates);
  g_ptr_array_unref (extras->references);
  g_free (extras->antecedents);
  for (guint k = 0; k < ATTN_N_WEIGHT_KINDS; k++)
    if (extras->contributions[k] != NULL)
      {
        _attn_tensor_clear (extras->contributions[k]);
        g_free (extras->contributions[k]);
      }
  g_free (extras->contributions_target);
  g_free (extras);
}

/* Sets the label: the id, or else @index_label (copied). */
void
_attn_example_set_label (AttnExample *self,
                         const char  *index_label)
{
  g_assert (!self->packed);

  if (self->label != self->id)
    g_free ((char *) self->label);
  self->label = self->id != NULL ? self->id : g_strdup (index_label);
}

static void
attn_example_free (AttnExample *self)
{
  if (!self->packed)
    {
      if (self->label != self->id)
        g_free ((char *) self->label);
      g_free (self->id);
      g_strfreev (self->tokens);
    }
  g_clear_pointer (&self->extras, extras_free);
  _attn_example_set_file (self, NULL, NULL);
  _attn_tensor_clear (&self->attention);
  g_free (self);
}

static gsize
tensor_bytes (const AttnExample *self,
              const AttnTensor  *tensor)
{
  static const gsize sizes[] = { 2, 4, 8 };

  return (gsize) self->n_layers * tensor->n_heads * self->n_tokens * self->n_tokens *
         sizes[tensor->dtype];
}

/*
 * _attn_example_pack:
 * @self: (transfer full): a loaded example, not yet shared
 *
 * Moves the id, label, tokens and a small attention into one allocation
 * (a file of 100 000 small examples otherwise spends most of its memory on
 * malloc's per-block overhead).
 *
 * Returns: (transfer full): the packed example
 */
AttnExample *
_attn_example_pack (AttnExample *self)
{
  gsize data_bytes = tensor_bytes (self, &self->attention);
  gboolean inline_data = data_bytes <= INLINE_DATA_MAX && self->attention.data != NULL;
  gsize id_length = self->id != NULL ? strlen (self->id) + 1 : 0;
  gsize label_length = self->id != NULL ? 0 : strlen (self->label) + 1;
  gsize size = sizeof (AttnExample);
  AttnExample *packed;
  char *cursor;

  g_assert (!self->packed);

  /* struct, data (8-aligned), token pointers, then the strings */
  size = (size + 7) & ~(gsize) 7;
  if (inline_data)
    size += (data_bytes + 7) & ~(gsize) 7;
  size += ((gsize) self->n_tokens + 1) * sizeof (char *);
  for (guint i = 0; i < self->n_tokens; i++)
    size += strlen (self->tokens[i]) + 1;
  size += id_length + label_length;

  packed = g_malloc (size);
  *packed = *self;
  packed->packed = TRUE;
  cursor = (char *) packed + ((sizeof (AttnExample) + 7) & ~(gsize) 7);

  if (inline_data)
    {
      memcpy (cursor, self->attention.data, data_bytes);
      packed->attention.data = cursor;
      packed->attention.storage = NULL;
      g_clear_pointer (&self->attention.storage, g_bytes_unref);
      cursor += (data_bytes + 7) & ~(gsize) 7;
    }
  else
    self->attention.storage = NULL;
  self->attention.row_scale = NULL;
  self->attention.data = NULL;

  packed->tokens = (char **) cursor;
  cursor += ((gsize) self->n_tokens + 1) * sizeof (char *);
  for (guint i = 0; i < self->n_tokens; i++)
    {
      gsize length = strlen (self->tokens[i]) + 1;

      memcpy (cursor, self->tokens[i], length);
      packed->tokens[i] = cursor;
      cursor += length;
    }
  packed->tokens[self->n_tokens] = NULL;

  if (self->id != NULL)
    {
      memcpy (cursor, self->id, id_length);
      packed->id = cursor;
      packed->label = cursor;
    }
  else
    {
      memcpy (cursor, self->label, label_length);
      packed->label = cursor;
    }

  self->extras = NULL;
  self->file_model = NULL;
  self->file_name = NULL;
  attn_example_free (self);
  return packed;
}

/* attn_example_ref() gives @self with one more reference; attn_example_unref()
 * drops one and frees @self when it was the last. */
ATTN_DEFINE_REFS (AttnExample, attn_example, attn_example_free)

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
stored_value (const AttnTensor *tensor,
              gsize             offset)
{
  const void *data = tensor->data;

  switch (tensor->dtype)
    {
    case ATTN_DTYPE_FLOAT16:
      {
        guint16 h;
        memcpy (&h, (const guint8 *) data + offset * 2, 2);
        return half_to_double (GUINT16_FROM_LE (h));
      }
    case ATTN_DTYPE_FLOAT32:
      {
        guint32 bits;
        float f;
        memcpy (&bits, (const guint8 *) data + offset * 4, 4);
        bits = GUINT32_FROM_LE (bits);
        memcpy (&f, &bits, 4);
        return f;
      }
    case ATTN_DTYPE_FLOAT64:
    default:
      {
        guint64 bits;
        double d;
        memcpy (&bits, (const guint8 *) data + offset * 8, 8);
        bits = GUINT64_FROM_LE (bits);
        memcpy (&d, &bits, 8);
        return d;
      }
    }
}

typedef float Float4 __attribute__ ((vector_size (16)));
typedef double Double4 __attribute__ ((vector_size (32)));

/* Reads one stored row of @n values as doubles, without the renormalisation
 * factor. */
static void
read_stored_row (const AttnTensor *tensor,
                 gsize             n,
                 gsize             row_index,
                 double           *out)
{
  gsize base = row_index * n;

#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  if (tensor->dtype == ATTN_DTYPE_FLOAT32)
    {
      const float *f = (const float *) tensor->data + base;
      gsize k = 0;

      /* four at a time (each conversion exact, as one at a time) */
      for (; k + 4 <= n; k += 4)
        {
          Float4 x;
          Double4 y;

          memcpy (&x, f + k, sizeof x);
          y = __builtin_convertvector (x, Double4);
          memcpy (out + k, &y, sizeof y);
        }
      for (; k < n; k++)
        out[k] = f[k];
      return;
    }
  if (tensor->dtype == ATTN_DTYPE_FLOAT64)
    {
      memcpy (out, (const double *) tensor->data + base, n * sizeof (double));
      return;
    }
  if (tensor->dtype == ATTN_DTYPE_FLOAT16)
    {
      const guint16 *h = (const guint16 *) tensor->data + base;
      for (gsize k = 0; k < n; k++)
        out[k] = half_to_double (h[k]);
      return;
    }
#endif

  for (gsize k = 0; k < n; k++)
    out[k] = stored_value (tensor, base + k);
}

/* Reads row @row_index of @tensor (@n values) as doubles, without the
 * renormalisation factor. */
void
_attn_tensor_read_row (const AttnTensor *tensor,
                       gsize             n,
                       gsize             row_index,
                       double           *out)
{
  read_stored_row (tensor, n, row_index, out);
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
      g_autofree char *name = attn_error_example_name (id, 0);

      /* translators: the example (“cat-mat”, or 0 (no id)) */
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_SHAPE,
                   _("Example %s: tokens, layers and heads must not be empty"), name);
      return NULL;
    }

  if (!_attn_tensor_count (n_layers, n_heads, n, &count))
    {
      g_autofree char *name = attn_error_example_name (id, 0);

      /* translators: the example (“cat-mat”, or 0 (no id)) */
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_SHAPE,
                   _("Example %s: the attention shape is too large"), name);
      return NULL;
    }

  self = _attn_example_new ();
  self->id = g_strdup (id);
  _attn_example_set_label (self, "0");
  self->tokens = g_strdupv ((char **) tokens);
  self->n_tokens = n;
  self->n_layers = n_layers;
  self->n_heads = n_heads;
  self->head_mixed = FALSE;
  self->attention.n_heads = n_heads;
  self->attention.head_mixed = FALSE;
  self->attention.dtype = ATTN_DTYPE_FLOAT64;
  self->attention.storage = g_bytes_new (attention, count * sizeof (double));
  self->attention.data = g_bytes_get_data (self->attention.storage, NULL);

  if (!_attn_example_validate (self, NULL, error))
    return NULL;

  return _attn_example_pack (g_steal_pointer (&self));
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

/**
 * attn_example_dup_message_name:
 *
 * How a message names the example, after “Example ”: its id, shortened and
 * quoted (“cat-mat”), or its 0-based index and that it has no id (3 (no id)),
 * as attn_error_example_name() gives it. attn_example_get_label() is the
 * bare id or index, for file names and the CLI's JSON.
 *
 * Returns: (transfer full): the name
 */
char *
attn_example_dup_message_name (const AttnExample *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return attn_error_example_name (self->id, self->index);
}

const char *
attn_example_get_text (const AttnExample *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->extras ? self->extras->text : NULL;
}

/**
 * attn_example_get_model:
 * @self: an example
 *
 * Returns: (nullable): the example's `model` label, or else that of the
 *   file it was read from
 */
const char *
attn_example_get_model (const AttnExample *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->extras && self->extras->model ? self->extras->model : self->file_model;
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
  return self->attention.dtype;
}

const char *
attn_example_get_prediction_label (const AttnExample *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->extras ? self->extras->prediction_label : NULL;
}

guint
attn_example_get_n_candidates (const AttnExample *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->extras ? self->extras->candidates->len : 0;
}

const AttnCandidate *
attn_example_get_candidate (const AttnExample *self,
                            guint              index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < attn_example_get_n_candidates (self), NULL);
  return &g_array_index (self->extras->candidates, AttnCandidate, index);
}

guint
attn_example_get_n_references (const AttnExample *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->extras ? self->extras->references->len : 0;
}

const char *
attn_example_get_reference_name (const AttnExample *self,
                                 guint              index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < attn_example_get_n_references (self), NULL);
  return _attn_reference_name (g_ptr_array_index (self->extras->references, index));
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

  for (guint i = 0; i < attn_example_get_n_references (self); i++)
    {
      AttnReference *reference = g_ptr_array_index (self->extras->references, i);
      if (g_str_equal (_attn_reference_name (reference), name))
        return _attn_reference_values (reference);
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
  return stored_value (&self->attention, r * self->n_tokens + key) *
         (self->attention.row_scale ? self->attention.row_scale[r] : 1.);
}

/**
 * attn_example_read_row:
 * @layer: 1..L
 * @head: 0..H-1
 * @query: the row, 0..n-1
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
  read_stored_row (&self->attention, self->n_tokens, r, out);
  if (self->attention.row_scale != NULL && self->attention.row_scale[r] != 1.)
    for (guint k = 0; k < self->n_tokens; k++)
      out[k] *= self->attention.row_scale[r];
}

/**
 * attn_example_add_row:
 * @layer: 1..L
 * @head: 0..H-1
 * @query: the row, 0..n-1
 * @out: (inout caller-allocates) (array): n doubles
 * @scratch: (out caller-allocates) (array): room for n doubles
 *
 * Adds one attention row, as attn_example_read_row() reads it, to @out: the
 * same sums as reading the row and adding it, without the copy (the head
 * mixing of a graph reads every value of every head).
 */
void
attn_example_add_row (const AttnExample *self,
                      guint              layer,
                      guint              head,
                      guint              query,
                      double            *out,
                      double            *scratch)
{
  gsize n, r;
  double scale;

  g_return_if_fail (self != NULL);
  g_return_if_fail (layer >= 1 && layer <= self->n_layers);
  g_return_if_fail (head < self->n_heads);
  g_return_if_fail (query < self->n_tokens);
  g_return_if_fail (out != NULL && scratch != NULL);

  n = self->n_tokens;
  r = row_index (self, layer, head, query);
  scale = self->attention.row_scale != NULL ? self->attention.row_scale[r] : 1.;
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  if (self->attention.dtype == ATTN_DTYPE_FLOAT32 && scale == 1.)
    {
      const float *f = (const float *) self->attention.data + r * n;
      gsize k = 0;

      for (; k + 4 <= n; k += 4)
        {
          Float4 x;
          Double4 y, o;

          memcpy (&x, f + k, sizeof x);
          memcpy (&o, out + k, sizeof o);
          y = __builtin_convertvector (x, Double4);
          o += y;
          memcpy (out + k, &o, sizeof o);
        }
      for (; k < n; k++)
        out[k] += f[k];
      return;
    }
#endif
  read_stored_row (&self->attention, n, r, scratch);
  for (gsize k = 0; k < n; k++)
    out[k] += scale != 1. ? scratch[k] * scale : scratch[k];
}

static const char * const weight_kind_names[ATTN_N_WEIGHT_KINDS] = {
  "attention", "norm", "globenc", "alti", "value-zeroing", "attn-grad",
};

/**
 * attn_weight_kind_get_name:
 * @kind: a weight kind
 *
 * Returns: its name in the file format and on the command line ("attention",
 *   "norm", "globenc", "alti", "value-zeroing", "attn-grad")
 */
const char *
attn_weight_kind_get_name (AttnWeightKind kind)
{
  g_return_val_if_fail (kind < ATTN_N_WEIGHT_KINDS, NULL);
  return weight_kind_names[kind];
}

/**
 * attn_weight_kinds_join:
 * @kinds: weight kinds, bit 1 << kind each
 * @separator: put between two names
 *
 * Returns: (transfer full): their names (attn_weight_kind_get_name()) in
 *   the kinds' order, joined by @separator ("norm,alti")
 */
char *
attn_weight_kinds_join (guint       kinds,
                        const char *separator)
{
  GString *names = g_string_new (NULL);

  for (guint k = 0; k < ATTN_N_WEIGHT_KINDS; k++)
    if (kinds & (1u << k))
      g_string_append_printf (names, "%s%s", names->len > 0 ? separator : "", weight_kind_names[k]);
  return g_string_free (names, FALSE);
}

/**
 * attn_weight_kind_from_name:
 * @name: a name such as "norm", in any case (attn_keyword_find())
 * @out: (out): the kind
 *
 * Returns: %TRUE when @name is one of attn_weight_kind_get_name()'s
 */
gboolean
attn_weight_kind_from_name (const char     *name,
                            AttnWeightKind *out)
{
  int k;

  g_return_val_if_fail (name != NULL, FALSE);

  k = attn_keyword_find (name, weight_kind_names, ATTN_N_WEIGHT_KINDS);
  if (k >= 0 && out != NULL)
    *out = k;
  return k >= 0;
}

/**
 * attn_weight_kind_get_label:
 * @kind: a weight kind
 *
 * Returns: its name for people (translated): "Attention", "Norm-based",
 *   "GlobEnc", "ALTI", "Value Zeroing", "Attention × gradient"
 */
const char *
attn_weight_kind_get_label (AttnWeightKind kind)
{
  static const char * const labels[ATTN_N_WEIGHT_KINDS] = {
    /* translators: the weight kinds of the graph (Weights selector, captions) */
    N_("Attention"),
    /* translators: Kobayashi et al. 2020, ||α f(x)|| */
    N_("Norm-based"),
    /* translators: a method's name (Modarressi et al. 2022), usually kept as it is */
    N_("GlobEnc"),
    /* translators: a method's name (Ferrando et al. 2022), usually kept as it is */
    N_("ALTI"),
    /* translators: a method's name (Mohebbi et al. 2023) */
    N_("Value Zeroing"),
    /* translators: gradient-weighted attention (Chefer et al. 2021) */
    N_("Attention × gradient"),
  };

  g_return_val_if_fail (kind < ATTN_N_WEIGHT_KINDS, NULL);
  return g_dgettext (GETTEXT_PACKAGE, labels[kind]);
}

/**
 * attn_weight_kind_includes_residual:
 * @kind: a weight kind
 *
 * Whether @kind already accounts for the residual connection (GlobEnc, ALTI,
 * Value Zeroing), so that the residual weight α does not apply to it; the
 * attention, norm-based and gradient-weighted attention leave it out and get
 * α as the attention does (README, "The attention export").
 *
 * Returns: %TRUE for %ATTN_WEIGHT_KIND_GLOBENC, %ATTN_WEIGHT_KIND_ALTI and
 *   %ATTN_WEIGHT_KIND_VALUE_ZEROING
 */
gboolean
attn_weight_kind_includes_residual (AttnWeightKind kind)
{
  return kind == ATTN_WEIGHT_KIND_GLOBENC || kind == ATTN_WEIGHT_KIND_ALTI ||
         kind == ATTN_WEIGHT_KIND_VALUE_ZEROING;
}

/**
 * attn_example_format_weights:
 * @separator: put between the names, such as ", "
 *
 * Returns: (transfer full): the names of the weight kinds the example
 *   carries, attention first: "attention, norm, alti"
 */
char *
attn_example_format_weights (const AttnExample *self,
                             const char        *separator)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (separator != NULL, NULL);

  return attn_weight_kinds_join (attn_example_get_weight_kinds (self), separator);
}

/**
 * attn_example_get_n_antecedents:
 *
 * Returns: how many candidate antecedents the example names (0 when it has no
 *   `antecedents`)
 */
guint
attn_example_get_n_antecedents (const AttnExample *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->extras ? self->extras->n_antecedents : 0;
}

/**
 * attn_example_get_antecedents:
 *
 * The `antecedents` of a pronoun `focus`: token indices of the candidate
 * antecedents, the first being the one the sentence's meaning selects. They
 * are distinct valid token indices.
 *
 * Returns: (nullable) (array length=n_antecedents): the token indices, or
 *   %NULL when the example has none
 */
const guint *
attn_example_get_antecedents (const AttnExample *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->extras ? self->extras->antecedents : NULL;
}

/**
 * attn_example_is_antecedent:
 *
 * Returns: whether @position is one of the candidate antecedents of the
 *   example's pronoun
 */
gboolean
attn_example_is_antecedent (const AttnExample *self,
                            guint              position)
{
  g_return_val_if_fail (self != NULL, FALSE);

  for (guint a = 0; a < attn_example_get_n_antecedents (self); a++)
    if (self->extras->antecedents[a] == position)
      return TRUE;
  return FALSE;
}

/* The tensor of @kind, or NULL when the example does not carry it. */
static const AttnTensor *
get_tensor (const AttnExample *self,
            AttnWeightKind     kind)
{
  if (kind == ATTN_WEIGHT_KIND_ATTENTION)
    return &self->attention;
  if (self->extras == NULL || kind >= ATTN_N_WEIGHT_KINDS)
    return NULL;
  return self->extras->contributions[kind];
}

/* The tensor of a kind the caller says @self carries (a critical if not). */
static const AttnTensor *
carried_tensor (const AttnExample *self,
                AttnWeightKind     kind)
{
  const AttnTensor *tensor;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (kind < ATTN_N_WEIGHT_KINDS, NULL);
  tensor = get_tensor (self, kind);
  g_return_val_if_fail (tensor != NULL, NULL);
  return tensor;
}

/**
 * attn_example_has_weights:
 * @kind: a weight kind
 *
 * Returns: %TRUE when the example carries @kind (always for the attention)
 */
gboolean
attn_example_has_weights (const AttnExample *self,
                          AttnWeightKind     kind)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (kind < ATTN_N_WEIGHT_KINDS, FALSE);
  return get_tensor (self, kind) != NULL;
}

/**
 * attn_example_get_weight_kinds:
 *
 * Returns: the weight kinds the example carries, bit 1 << kind each (the
 *   attention's always)
 */
guint
attn_example_get_weight_kinds (const AttnExample *self)
{
  guint kinds = 0;

  g_return_val_if_fail (self != NULL, 0);

  for (guint k = 0; k < ATTN_N_WEIGHT_KINDS; k++)
    if (get_tensor (self, k) != NULL)
      kinds |= 1u << k;
  return kinds;
}

/**
 * attn_example_get_weights_n_heads:
 * @kind: a weight kind the example carries
 *
 * Returns: H of @kind, 1 when it is head-mixed ([L][n][n]); kinds of one
 *   example may differ in H, never in L or n
 */
guint
attn_example_get_weights_n_heads (const AttnExample *self,
                                  AttnWeightKind     kind)
{
  const AttnTensor *tensor = carried_tensor (self, kind);

  return tensor != NULL ? tensor->n_heads : 0;
}

/**
 * attn_example_get_weights_head_mixed:
 * @kind: a weight kind the example carries
 *
 * Returns: %TRUE when @kind was given as [L][n][n]
 */
gboolean
attn_example_get_weights_head_mixed (const AttnExample *self,
                                     AttnWeightKind     kind)
{
  const AttnTensor *tensor = carried_tensor (self, kind);

  return tensor != NULL && tensor->head_mixed;
}

/**
 * attn_example_get_weights_dtype:
 * @kind: a weight kind the example carries
 *
 * Returns: how @kind is stored
 */
AttnDtype
attn_example_get_weights_dtype (const AttnExample *self,
                                AttnWeightKind     kind)
{
  const AttnTensor *tensor = carried_tensor (self, kind);

  return tensor != NULL ? tensor->dtype : ATTN_DTYPE_FLOAT64;
}

/**
 * attn_example_read_weights_row:
 * @kind: a weight kind the example carries
 * @layer: 1..L
 * @head: 0..H-1 of @kind (attn_example_get_weights_n_heads())
 * @query: the row, 0..n-1
 * @out: (out caller-allocates) (array): n doubles
 *
 * Reads one row of @kind in double precision, straight from its stored dtype
 * (no copy of the tensor is made). For the attention this is
 * attn_example_read_row(): rows further than 1e-3 from 1 come renormalised.
 * Contribution rows come as stored: finite, non-negative, with a sum that is
 * not zero and whose inverse is finite, but not normalised (that is the
 * graph's business).
 */
void
attn_example_read_weights_row (const AttnExample *self,
                               AttnWeightKind     kind,
                               guint              layer,
                               guint              head,
                               guint              query,
                               double            *out)
{
  const AttnTensor *tensor;
  gsize r;

  if (kind == ATTN_WEIGHT_KIND_ATTENTION)
    {
      attn_example_read_row (self, layer, head, query, out);
      return;
    }

  tensor = carried_tensor (self, kind);
  g_return_if_fail (tensor != NULL);
  g_return_if_fail (layer >= 1 && layer <= self->n_layers);
  g_return_if_fail (head < tensor->n_heads);
  g_return_if_fail (query < self->n_tokens);
  g_return_if_fail (out != NULL);

  r = ((gsize) (layer - 1) * tensor->n_heads + head) * self->n_tokens + query;
  read_stored_row (tensor, self->n_tokens, r, out);
}

/**
 * attn_example_read_weights_matrix:
 * @kind: a weight kind the example carries
 * @layer: 1..L
 * @head: 0..H-1 of @kind (attn_example_get_weights_n_heads())
 * @out: (out caller-allocates) (array): n * n doubles
 *
 * Reads the matrix of one head of one layer of @kind in double precision,
 * row by row as attn_example_read_weights_row().
 */
void
attn_example_read_weights_matrix (const AttnExample *self,
                                  AttnWeightKind     kind,
                                  guint              layer,
                                  guint              head,
                                  double            *out)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (out != NULL);

  for (guint q = 0; q < self->n_tokens; q++)
    attn_example_read_weights_row (self, kind, layer, head, q, out + (gsize) q * self->n_tokens);
}

/**
 * attn_example_get_contributions_target:
 *
 * Returns: (nullable): `contributions_target`: what the `attn-grad`
 *   contributions were taken for (a label or a description)
 */
const char *
attn_example_get_contributions_target (const AttnExample *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->extras ? self->extras->contributions_target : NULL;
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
