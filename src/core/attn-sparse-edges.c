/* attn-sparse-edges.c: a layer's edge values kept sparse, and sums of edge values
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "attn-sparse-edges.h"

/* Where a sparse layer's values start: after the n + 1 starts, 8-aligned */
static gsize
values_offset (gsize n)
{
  return ((n + 1) * sizeof (guint32) + 7) / 8 * 8;
}

static gsize
layer_size (gsize n,
            gsize count)
{
  return values_offset (n) + count * (sizeof (double) + sizeof (guint32));
}

void
_attn_sparse_layer_read_row (GBytes *layer,
                             gsize   n,
                             guint   query,
                             double *row)
{
  const char *data = g_bytes_get_data (layer, NULL);
  const guint32 *start = (const guint32 *) data;
  const double *kept = (const double *) (data + values_offset (n));
  const guint32 *columns = (const guint32 *) (data + values_offset (n) + start[n] * sizeof (double));

  memset (row, 0, n * sizeof (double));
  for (guint32 i = start[query]; i < start[query + 1]; i++)
    row[columns[i]] = kept[i];
}

/* An open-addressing table, linear probing, at most 70 % full */
#define EMPTY G_MAXUINT32
#define FIRST_BITS 16

struct _AttnEdgeSums
{
  double   *dense;       /* the indices under @dense_size, summed in place */
  gsize     dense_size;
  guint     bits;
  gsize     count;
  guint32  *keys;        /* 2^bits, EMPTY where free */
  double   *values;
};

static void
table_alloc (AttnEdgeSums *sums,
             guint         bits)
{
  sums->bits = bits;
  sums->keys = g_new (guint32, (gsize) 1 << bits);
  sums->values = g_new (double, (gsize) 1 << bits);
  memset (sums->keys, 0xff, sizeof (guint32) << bits);
}

static gsize
slot_of (const AttnEdgeSums *sums,
         guint32             key)
{
  gsize mask = ((gsize) 1 << sums->bits) - 1;
  gsize s = (gsize) (((guint64) key * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15)) >> (64 - sums->bits));

  while (sums->keys[s] != EMPTY && sums->keys[s] != key)
    s = (s + 1) & mask;
  return s;
}

/* @dense_size: the indices below it are summed in an array of that many
 * values (the lowest layers, where most edges carry flow) */
AttnEdgeSums *
_attn_edge_sums_new (gsize dense_size)
{
  AttnEdgeSums *sums = g_new0 (AttnEdgeSums, 1);

  sums->dense = g_new0 (double, dense_size);
  sums->dense_size = dense_size;
  table_alloc (sums, FIRST_BITS);
  return sums;
}

void
_attn_edge_sums_free (AttnEdgeSums *sums)
{
  g_free (sums->dense);
  g_free (sums->keys);
  g_free (sums->values);
  g_free (sums);
}

static void
grow (AttnEdgeSums *sums)
{
  g_autofree guint32 *keys = sums->keys;
  g_autofree double *values = sums->values;
  gsize old = (gsize) 1 << sums->bits;

  table_alloc (sums, sums->bits + 1);
  for (gsize i = 0; i < old; i++)
    if (keys[i] != EMPTY)
      {
        gsize s = slot_of (sums, keys[i]);

        sums->keys[s] = keys[i];
        sums->values[s] = values[i];
      }
}

static inline void
add (AttnEdgeSums *sums,
     guint32       index,
     double        value)
{
  gsize s;

  if (index < sums->dense_size)
    {
      sums->dense[index] += value;
      return;
    }
  if ((sums->count + 1) * 10 > ((gsize) 7 << sums->bits))
    grow (sums);
  s = slot_of (sums, index);
  if (sums->keys[s] == EMPTY)
    {
      sums->keys[s] = index;
      sums->values[s] = 0.;
      sums->count++;
    }
  sums->values[s] += value;
}

void
_attn_edge_sums_add (AttnEdgeSums *sums,
                     guint32       index,
                     double        value)
{
  g_return_if_fail (index != EMPTY);

  add (sums, index, value);
}

void
_attn_edge_sums_add_list (AttnEdgeSums *sums,
                          const gsize  *indices,
                          const double *values,
                          gsize         count)
{
  for (gsize i = 0; i < count; i++)
    add (sums, (guint32) indices[i], values[i]);
}

void
_attn_edge_sums_divide (AttnEdgeSums *sums,
                        double        divisor)
{
  for (gsize i = 0; i < sums->dense_size; i++)
    sums->dense[i] /= divisor;
  for (gsize i = 0; i < (gsize) 1 << sums->bits; i++)
    if (sums->keys[i] != EMPTY)
      sums->values[i] /= divisor;
}

/* The sums that are not 0, as @n_layers sparse layers of @n tokens (the
 * form _attn_sparse_layer_read_row() reads; each row's entries in no order) */
GBytes **
_attn_edge_sums_to_layers (const AttnEdgeSums *sums,
                           guint               n_layers,
                           guint               n)
{
  gsize rows = (gsize) n_layers * n, size = (gsize) 1 << sums->bits, offset = values_offset (n);
  g_autofree guint32 *next = g_new0 (guint32, rows);  /* per row: its count, then its next entry */
  g_autofree char **data = g_new0 (char *, n_layers);
  g_autofree gsize *counts = g_new0 (gsize, n_layers);
  GBytes **layers = g_new0 (GBytes *, n_layers);

  for (gsize i = 0; i < sums->dense_size; i++)
    next[i / n] += sums->dense[i] != 0.;
  for (gsize i = 0; i < size; i++)
    if (sums->keys[i] != EMPTY && sums->values[i] != 0.)
      next[sums->keys[i] / n]++;
  for (guint l = 0; l < n_layers; l++)
    {
      guint32 *start;

      for (guint q = 0; q < n; q++)
        counts[l] += next[(gsize) l * n + q];
      data[l] = g_malloc (layer_size (n, counts[l]));
      start = (guint32 *) data[l];
      start[0] = 0;
      for (guint q = 0; q < n; q++)
        {
          start[q + 1] = start[q] + next[(gsize) l * n + q];
          next[(gsize) l * n + q] = start[q];
        }
    }
  for (gsize i = 0; i < sums->dense_size + size; i++)
    {
      gsize index = i < sums->dense_size ? i : sums->keys[i - sums->dense_size];
      double v = i < sums->dense_size ? sums->dense[i] : sums->values[i - sums->dense_size];
      gsize row = index / n, l = row / n;
      guint32 at;

      if ((i >= sums->dense_size && index == EMPTY) || v == 0.)
        continue;
      at = next[row]++;
      ((double *) (data[l] + offset))[at] = v;
      ((guint32 *) (data[l] + offset + counts[l] * sizeof (double)))[at] = index % n;
    }
  for (guint l = 0; l < n_layers; l++)
    layers[l] = g_bytes_new_take (data[l], layer_size (n, counts[l]));
  return layers;
}
