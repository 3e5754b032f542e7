/* attn-loader-arrays.c: declared shapes, tensors as nested JSON arrays, and which
 * encoding a tensor is in
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "attn-loader-private.h"

/* ---------------------------------------------------------------------- */
/* Shapes                                                                  */

/* Gives @tensor its heads; the attention also sets the example's L, every
 * other tensor must have as many layers as the attention. */
static gboolean
set_tensor_shape (AttnExample  *example,
                  AttnTensor   *tensor,
                  const char   *field,
                  guint         n_layers,
                  guint         n_heads,
                  gboolean      head_mixed,
                  GError      **error)
{
  if (tensor == &example->attention)
    {
      example->n_layers = n_layers;
      example->n_heads = n_heads;
      example->head_mixed = head_mixed;
    }
  else if (n_layers != example->n_layers)
    return _attn_loader_field_error (error, ATTN_ERROR_SHAPE, example, field,
                                     g_dngettext (GETTEXT_PACKAGE,
                                                  "has %u layer, the attention has %u",
                                                  "has %u layers, the attention has %u",
                                                  n_layers),
                                     n_layers, example->n_layers);

  tensor->n_heads = n_heads;
  tensor->head_mixed = head_mixed;
  return TRUE;
}

/* Checks a declared [L,H,n,n] or [L,n,n] shape (from base64 or .npy)
 * against the tokens and against overflow; sets L, H, head_mixed. */
gboolean
_attn_loader_check_shape (AttnExample   *example,
                          AttnTensor    *tensor,
                          const char    *field,
                          const guint64 *shape,
                          guint          rank,
                          gsize          item_size,
                          gsize         *out_bytes,
                          GError       **error)
{
  g_autoptr(GString) text = g_string_new ("[");
  gsize count = 1;

  for (guint i = 0; i < rank; i++)
    g_string_append_printf (text, "%s%" G_GUINT64_FORMAT, i ? ", " : "", shape[i]);
  g_string_append_c (text, ']');

  if (rank != 3 && rank != 4)
    return _attn_loader_field_error (error, ATTN_ERROR_SHAPE, example, field,
                                     g_dngettext (GETTEXT_PACKAGE,
                                                  "shape %s has %u dimension; expected [L, H, n, n] or [L, n, n]",
                                                  "shape %s has %u dimensions; expected [L, H, n, n] or [L, n, n]",
                                                  rank),
                                     text->str, rank);

  for (guint i = 0; i < rank; i++)
    if (shape[i] == 0)
      return _attn_loader_field_error (error, ATTN_ERROR_SHAPE, example, field,
                                       _("shape %s has a zero dimension (zero layers, heads or tokens)"),
                                       text->str);

  if (shape[rank - 1] != example->n_tokens || shape[rank - 2] != example->n_tokens)
    return _attn_loader_field_error (error, ATTN_ERROR_SHAPE, example, field,
                                     g_dngettext (GETTEXT_PACKAGE,
                                                  "shape %s does not match the %u token",
                                                  "shape %s does not match the %u tokens",
                                                  example->n_tokens),
                                     text->str, example->n_tokens);

  for (guint i = 0; i < rank; i++)
    if (shape[i] > G_MAXUINT32 || !g_size_checked_mul (&count, count, (gsize) shape[i]))
      return _attn_loader_field_error (error, ATTN_ERROR_SHAPE, example, field,
                                       _("shape %s is too large"), text->str);

  if (!g_size_checked_mul (out_bytes, count, item_size) || *out_bytes > G_MAXSIZE / 2)
    return _attn_loader_field_error (error, ATTN_ERROR_SHAPE, example, field,
                                     _("shape %s is too large"), text->str);

  return set_tensor_shape (example, tensor, field, (guint) shape[0],
                           rank == 3 ? 1 : (guint) shape[1], rank == 3, error);
}

/* ---------------------------------------------------------------------- */
/* Nested arrays                                                           */

/* The depth of the first leaf of @layers (1 for a number in it; at most 5). */
static guint
nested_rank (JsonArray *layers)
{
  JsonNode *node = json_array_get_element (layers, 0);
  guint rank = 1;

  while (JSON_NODE_HOLDS_ARRAY (node) && rank < 5)
    {
      JsonArray *array = json_node_get_array (node);
      rank++;
      if (json_array_get_length (array) == 0)
        break;
      node = json_array_get_element (array, 0);
    }

  return rank;
}

/* The levels of arrays of @node down to its first number, or 0 when an empty
 * array or anything else comes first: 2 for a matrix, 3 for heads of them. */
static guint
nested_depth (JsonNode *node)
{
  guint depth = 0;

  while (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      if (json_array_get_length (array) == 0)
        return 0;
      depth++;
      node = json_array_get_element (array, 0);
    }
  return JSON_NODE_TYPE (node) == JSON_NODE_VALUE ? depth : 0;
}

/* Layer @l (1-based) of nested attention is one matrix where layer 1 has
 * heads, or the other way round: said as such, not as a count of heads or
 * rows that are something else. */
static gboolean
check_layer_depth (AttnExample  *example,
                   const char   *field,
                   JsonNode     *layer_node,
                   guint         l,
                   guint         rank,
                   guint         n_heads,
                   GError      **error)
{
  guint depth = nested_depth (layer_node);

  if (depth + 1 == rank || (depth != 2 && depth != 3))
    return TRUE;
  if (rank == 4)
    return _attn_loader_field_error (error, ATTN_ERROR_SHAPE, example, field,
                                     /* translators: a layer, then the heads of layer 1 */
                                     g_dngettext (GETTEXT_PACKAGE,
                                                  "layer %u is one [n][n] matrix, and layer 1 has %u "
                                                  "head ([H][n][n]): every layer needs the same shape",
                                                  "layer %u is one [n][n] matrix, and layer 1 has %u "
                                                  "heads ([H][n][n]): every layer needs the same shape",
                                                  n_heads),
                                     l, n_heads);
  return _attn_loader_field_error (error, ATTN_ERROR_SHAPE, example, field,
                                   /* translators: a layer */
                                   _("layer %u has heads ([H][n][n]), and layer 1 is one [n][n] "
                                     "matrix: every layer needs the same shape"), l);
}

/* Attention, nested or dense, has 3 dimensions ([L][n][n]) or 4 ([L][H][n][n]) */
static gboolean
check_rank (AttnExample  *example,
            const char   *field,
            guint         rank,
            GError      **error)
{
  if (rank == 3 || rank == 4)
    return TRUE;
  return _attn_loader_field_error (error, ATTN_ERROR_SHAPE, example, field,
                                   g_dngettext (GETTEXT_PACKAGE,
                                                "expected [L][H][n][n] or [L][n][n] arrays, found %u level",
                                                "expected [L][H][n][n] or [L][n][n] arrays, found %u levels",
                                                rank),
                                   rank);
}

/* A matrix of nested attention with @count rows (@q < 0) or row @q with
 * @count entries, where n, the length of "tokens", is expected:
 * "layer l[, head h][, row q] has …, expected n: one per token, and “tokens” has n" */
static gboolean
count_error (AttnExample  *example,
             const char   *field,
             guint         l,
             guint         h,
             gboolean      heads,
             int           q,
             guint         count,
             GError      **error)
{
  guint n = example->n_tokens;

  if (q < 0 && heads)
    return _attn_loader_field_error (error, ATTN_ERROR_SHAPE, example, field,
                                     g_dngettext (GETTEXT_PACKAGE,
                                                  "layer %u, head %u has %u row, expected %u: one per token, "
                                                  "and “tokens” has %u",
                                                  "layer %u, head %u has %u rows, expected %u: one per token, "
                                                  "and “tokens” has %u",
                                                  count),
                                     l, h, count, n, n);
  if (q < 0)
    return _attn_loader_field_error (error, ATTN_ERROR_SHAPE, example, field,
                                     g_dngettext (GETTEXT_PACKAGE,
                                                  "layer %u has %u row, expected %u: one per token, "
                                                  "and “tokens” has %u",
                                                  "layer %u has %u rows, expected %u: one per token, "
                                                  "and “tokens” has %u",
                                                  count),
                                     l, count, n, n);
  if (heads)
    return _attn_loader_field_error (error, ATTN_ERROR_SHAPE, example, field,
                                     g_dngettext (GETTEXT_PACKAGE,
                                                  "layer %u, head %u, row %u has %u entry, expected %u: "
                                                  "one per token, and “tokens” has %u",
                                                  "layer %u, head %u, row %u has %u entries, expected %u: "
                                                  "one per token, and “tokens” has %u",
                                                  count),
                                     l, h, (guint) q, count, n, n);
  return _attn_loader_field_error (error, ATTN_ERROR_SHAPE, example, field,
                                   g_dngettext (GETTEXT_PACKAGE,
                                                "layer %u, row %u has %u entry, expected %u: "
                                                "one per token, and “tokens” has %u",
                                                "layer %u, row %u has %u entries, expected %u: "
                                                "one per token, and “tokens” has %u",
                                                count),
                                   l, (guint) q, count, n, n);
}

/* The rows of layer @l (1-based), head @h of nested attention: n arrays of n. */
static gboolean
check_nested_matrix (Loader       *self,
                     AttnExample  *example,
                     const char   *field,
                     JsonArray    *matrix,
                     guint         l,
                     guint         h,
                     gboolean      heads,
                     GError      **error)
{
  guint n = example->n_tokens;

  if (json_array_get_length (matrix) != n)
    return count_error (example, field, l, h, heads, -1, json_array_get_length (matrix), error);

  for (guint q = 0; q < n; q++)
    {
      JsonNode *row_node = json_array_get_element (matrix, q);
      guint row_length;

      if (!JSON_NODE_HOLDS_ARRAY (row_node))
        {
          if (heads)
            _attn_loader_field_error (error, ATTN_ERROR_SHAPE, example, field,
                                      _("layer %u, head %u, row %u is %s, not an array"),
                                      l, h, q, _attn_loader_node_kind (self, row_node));
          else
            _attn_loader_field_error (error, ATTN_ERROR_SHAPE, example, field,
                                      _("layer %u, row %u is %s, not an array"),
                                      l, q, _attn_loader_node_kind (self, row_node));
          return FALSE;
        }

      row_length = json_array_get_length (json_node_get_array (row_node));
      if (row_length != n)
        return count_error (example, field, l, h, heads, (int) q, row_length, error);
    }

  return TRUE;
}

/* Checks the whole structure of nested attention of @rank (3 or 4) before
 * anything is allocated. */
static gboolean
check_nested_layers (Loader       *self,
                     AttnExample  *example,
                     const char   *field,
                     JsonArray    *layers,
                     guint         rank,
                     guint         n_heads,
                     GError      **error)
{

  for (guint l = 0; l < json_array_get_length (layers); l++)
    {
      JsonNode *layer_node = json_array_get_element (layers, l);
      JsonArray *layer;

      if (!JSON_NODE_HOLDS_ARRAY (layer_node))
        return _attn_loader_field_error (error, ATTN_ERROR_SHAPE, example, field,
                                         _("layer %u is %s, not an array"),
                                         l + 1, _attn_loader_node_kind (self, layer_node));
      layer = json_node_get_array (layer_node);
      if (!check_layer_depth (example, field, layer_node, l + 1, rank, n_heads, error))
        return FALSE;

      if (rank == 4 && json_array_get_length (layer) != n_heads)
        return _attn_loader_field_error (error, ATTN_ERROR_SHAPE, example, field,
                                         g_dngettext (GETTEXT_PACKAGE,
                                                      "layer %u has %u head, layer 1 has %u",
                                                      "layer %u has %u heads, layer 1 has %u",
                                                      json_array_get_length (layer)),
                                         l + 1, json_array_get_length (layer), n_heads);

      for (guint h = 0; h < n_heads; h++)
        {
          JsonArray *matrix = layer;

          if (rank == 4)
            {
              JsonNode *head_node = json_array_get_element (layer, h);

              if (!JSON_NODE_HOLDS_ARRAY (head_node))
                return _attn_loader_field_error (error, ATTN_ERROR_SHAPE, example, field,
                                                 _("layer %u, head %u is %s, not an array"),
                                                 l + 1, h, _attn_loader_node_kind (self, head_node));
              matrix = json_node_get_array (head_node);
            }

          if (!check_nested_matrix (self, example, field, matrix, l + 1, h, rank == 4, error))
            return FALSE;
        }
    }

  return TRUE;
}

/* Copies the numbers of checked nested attention into @values. */
static gboolean
fill_nested (Loader       *self,
             AttnExample  *example,
             const char   *field,
             JsonArray    *layers,
             guint         rank,
             guint         n_heads,
             double       *values,
             GError      **error)
{
  guint n = example->n_tokens;
  gsize k = 0;

  for (guint l = 0; l < json_array_get_length (layers); l++)
    {
      JsonArray *layer = json_array_get_array_element (layers, l);

      for (guint h = 0; h < n_heads; h++)
        {
          JsonArray *matrix = rank == 4 ? json_array_get_array_element (layer, h) : layer;

          for (guint q = 0; q < n; q++)
            {
              JsonArray *row = json_array_get_array_element (matrix, q);

              for (guint c = 0; c < n; c++, k++)
                {
                  JsonNode *value = json_array_get_element (row, c);

                  if (_attn_loader_read_number (self, value, &values[k]))
                    continue;
                  if (rank == 4)
                    _attn_loader_field_error (error, ATTN_ERROR_INVALID, example,
                                              field,
                                              _("layer %u, head %u, row %u, column %u is %s, "
                                                "not a number"),
                                              l + 1, h, q, c, _attn_loader_node_kind (self, value));
                  else
                    _attn_loader_field_error (error, ATTN_ERROR_INVALID, example,
                                              field,
                                              _("layer %u, row %u, column %u is %s, not a number"),
                                              l + 1, q, c, _attn_loader_node_kind (self, value));
                  return FALSE;
                }
            }
        }
    }

  return TRUE;
}

gboolean
_attn_loader_load_nested (Loader       *self,
                          AttnExample  *example,
                          AttnTensor   *tensor,
                          const char   *field,
                          JsonArray    *layers,
                          GError      **error)
{
  guint n = example->n_tokens;
  guint n_layers = json_array_get_length (layers);
  guint n_heads;
  guint rank;
  gsize count = 1;
  double *values;

  if (n_layers == 0)
    return _attn_loader_field_error (error, ATTN_ERROR_SHAPE, example, field,
                                     _("there are zero layers"));

  rank = nested_rank (layers);

  if (JSON_NODE_HOLDS_ARRAY (json_array_get_element (layers, 0)) &&
      json_array_get_length (json_array_get_array_element (layers, 0)) == 0)
    {
      return _attn_loader_field_error (error, ATTN_ERROR_SHAPE, example, field,
                                       _("layer 1 is empty (zero heads or rows)"));
    }

  if (!check_rank (example, field, rank, error))
    return FALSE;

  n_heads = rank == 4 ? json_array_get_length (json_array_get_array_element (layers, 0)) : 1;

  if (!check_nested_layers (self, example, field, layers, rank, n_heads, error) ||
      !set_tensor_shape (example, tensor, field, n_layers, n_heads, rank == 3, error))
    return FALSE;

  /* The JSON holds every number, so the product cannot overflow; check anyway. */
  if (!_attn_tensor_count (n_layers, n_heads, n, &count))
    {
      return _attn_loader_field_error (error, ATTN_ERROR_SHAPE, example, field,
                                       _("too large"));
    }

  values = g_new (double, count);
  tensor->dtype = ATTN_DTYPE_FLOAT64;
  tensor->storage = g_bytes_new_take (values, count * sizeof (double));
  tensor->data = values;

  return fill_nested (self, example, field, layers, rank, n_heads, values, error);
}

/* A regular array read by read_dense(): the checks of _attn_loader_load_nested() on its
 * dimensions, with the same messages; the values are taken over. */
gboolean
_attn_loader_load_dense (AttnExample  *example,
                         AttnTensor   *tensor,
                         const char   *field,
                         Blob         *blob,
                         GError      **error)
{
  guint n = example->n_tokens;
  guint rank = blob->rank;
  gsize rows, entries;

  if (!check_rank (example, field, rank, error))
    return FALSE;

  rows = blob->dims[rank - 1];
  entries = blob->dims[rank];
  if (rows != n)
    return count_error (example, field, 1, 0, rank == 4, -1, (guint) rows, error);
  if (entries != n)
    return count_error (example, field, 1, 0, rank == 4, 0, (guint) entries, error);

  if (!set_tensor_shape (example, tensor, field, (guint) blob->dims[1],
                         rank == 4 ? (guint) blob->dims[2] : 1, rank == 3, error))
    return FALSE;
  tensor->dtype = ATTN_DTYPE_FLOAT64;
  tensor->storage = g_bytes_new_take (g_steal_pointer (&blob->values),
                                      blob->count * sizeof (double));
  tensor->data = g_bytes_get_data (tensor->storage, NULL);
  return TRUE;
}

/*
 * _attn_loader_load_tensor:
 * @field: the member @node is ("attention", "contributions.norm")
 *
 * Reads a tensor in any of its encodings: nested arrays (through json-glib
 * or the scan's reader), base64 or `.npy`.
 */
gboolean
_attn_loader_load_tensor (Loader       *self,
                          AttnExample  *example,
                          AttnTensor   *tensor,
                          const char   *field,
                          JsonNode     *node,
                          GError      **error)
{
  Blob *blob;

  if (JSON_NODE_HOLDS_ARRAY (node))
    return _attn_loader_load_nested (self, example, tensor, field, json_node_get_array (node),
                                     error);

  blob = _attn_loader_lookup_dense (self, node);
  if (blob != NULL)
    return _attn_loader_load_dense (example, tensor, field, blob, error);

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *encoded = json_node_get_object (node);

      if (json_object_has_member (encoded, "npy") && json_object_has_member (encoded, "base64"))
        return _attn_loader_field_error (error, ATTN_ERROR_INVALID, example, field,
                                         _("an encoded array holds its values in “base64” or in "
                                           "“npy”, not in both"));
      if (json_object_has_member (encoded, "npy"))
        return _attn_loader_load_npy (self, example, tensor, field, encoded, error);
      if (json_object_has_member (encoded, "base64"))
        return _attn_loader_load_base64 (self, example, tensor, field, encoded, error);

      return _attn_loader_field_error (error, ATTN_ERROR_INVALID, example, field,
                                       _("an encoded array needs “base64” (with “dtype” and "
                                         "“shape”) or “npy”"));
    }

  return _attn_loader_field_error (error, ATTN_ERROR_INVALID, example, field,
                                   _("expected nested arrays or an encoded array, found %s"),
                                   _attn_loader_node_kind (self, node));
}
