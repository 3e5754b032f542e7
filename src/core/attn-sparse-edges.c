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
#define FIRST_BITS 12

typedef struct
{
  guint     bits;
  gsize     count;
  guint32  *keys;        /* 2^bits, EMPTY where free */
  double   *values;
} Table;

/* Each layer's sums on their own, so that a table's growth copies one
 * layer's entries at a time and the layers are made sparse and let go one
 * by one: the lowest @n_dense layers (where most edges carry flow) summed
 * in arrays of n·n values, the others in tables keyed by q·n + k */
struct _AttnEdgeSums
{
  guint     n_layers;
  guint     n_dense;
  guint32   n;
  guint32   nn;
  double  **dense;       /* n_dense arrays of nn */
  Table    *tables;      /* n_layers - n_dense */
};

static void
table_alloc (Table *table,
             guint  bits)
{
  table->bits = bits;
  table->keys = g_new (guint32, (gsize) 1 << bits);
  table->values = g_new (double, (gsize) 1 << bits);
  memset (table->keys, 0xff, sizeof (guint32) << bits);
}

static void
table_clear (Table *table)
{
  g_clear_pointer (&table->keys, g_free);
  g_clear_pointer (&table->values, g_free);
}

static gsize
slot_of (const Table *table,
         guint32      key)
{
  gsize mask = ((gsize) 1 << table->bits) - 1;
  gsize s = (gsize) (((guint64) key * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15)) >> (64 - table->bits));

  while (table->keys[s] != EMPTY && table->keys[s] != key)
    s = (s + 1) & mask;
  return s;
}

/* Sums for @n_layers layers of @n tokens, the lowest @n_dense of them in
 * place (L·n·n under 2^32 - 1, the indices) */
AttnEdgeSums *
_attn_edge_sums_new (guint n_layers,
                     guint n,
                     guint n_dense)
{
  AttnEdgeSums *sums;

  g_return_val_if_fail (n > 0 && (guint64) n_layers * n * n < G_MAXUINT32, NULL);

  sums = g_new0 (AttnEdgeSums, 1);

  sums->n_layers = n_layers;
  sums->n_dense = MIN (n_dense, n_layers);
  sums->n = n;
  sums->nn = n * n;
  sums->dense = g_new0 (double *, sums->n_dense);
  for (guint l = 0; l < sums->n_dense; l++)
    sums->dense[l] = g_new0 (double, sums->nn);
  sums->tables = g_new0 (Table, n_layers - sums->n_dense);
  for (guint l = sums->n_dense; l < n_layers; l++)
    table_alloc (&sums->tables[l - sums->n_dense], FIRST_BITS);
  return sums;
}

void
_attn_edge_sums_free (AttnEdgeSums *sums)
{
  for (guint l = 0; l < sums->n_dense; l++)
    g_free (sums->dense[l]);
  for (guint l = sums->n_dense; l < sums->n_layers; l++)
    table_clear (&sums->tables[l - sums->n_dense]);
  g_free (sums->dense);
  g_free (sums->tables);
  g_free (sums);
}

static void
grow (Table *table)
{
  g_autofree guint32 *keys = table->keys;
  g_autofree double *values = table->values;
  gsize old = (gsize) 1 << table->bits;

  table_alloc (table, table->bits + 1);
  for (gsize i = 0; i < old; i++)
    if (keys[i] != EMPTY)
      {
        gsize s = slot_of (table, keys[i]);

        table->keys[s] = keys[i];
        table->values[s] = values[i];
      }
}

static inline void
add (AttnEdgeSums *sums,
     guint32       index,
     double        value)
{
  guint32 l = index / sums->nn, key = index - l * sums->nn;
  Table *table;
  gsize s;

  if (l < sums->n_dense)
    {
      sums->dense[l][key] += value;
      return;
    }
  table = &sums->tables[l - sums->n_dense];
  if ((table->count + 1) * 10 > ((gsize) 7 << table->bits))
    grow (table);
  s = slot_of (table, key);
  if (table->keys[s] == EMPTY)
    {
      table->keys[s] = key;
      table->values[s] = 0.;
      table->count++;
    }
  table->values[s] += value;
}

void
_attn_edge_sums_add (AttnEdgeSums *sums,
                     guint32       index,
                     double        value)
{
  g_return_if_fail (index < (guint64) sums->n_layers * sums->nn);

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
  for (guint l = 0; l < sums->n_dense; l++)
    for (gsize i = 0; i < sums->nn; i++)
      sums->dense[l][i] /= divisor;
  for (guint l = sums->n_dense; l < sums->n_layers; l++)
    {
      Table *table = &sums->tables[l - sums->n_dense];

      for (gsize i = 0; i < (gsize) 1 << table->bits; i++)
        if (table->keys[i] != EMPTY)
          table->values[i] /= divisor;
    }
}

/* One layer's sums: @keys[i] for i < @size (all of them where @keys is
 * %NULL: a dense layer) with @values[i], those not 0 made sparse */
static GBytes *
layer_new (gsize          n,
           const guint32 *keys,
           const double  *values,
           gsize          size)
{
  g_autofree guint32 *next = g_new0 (guint32, n);  /* per row: its count, then its next entry */
  gsize count = 0, offset = values_offset (n);
  guint32 *start;
  char *data;

  for (gsize i = 0; i < size; i++)
    if ((keys == NULL || keys[i] != EMPTY) && values[i] != 0.)
      next[(keys ? keys[i] : i) / n]++;
  for (gsize q = 0; q < n; q++)
    count += next[q];
  data = g_malloc (layer_size (n, count));
  start = (guint32 *) data;
  start[0] = 0;
  for (gsize q = 0; q < n; q++)
    {
      start[q + 1] = start[q] + next[q];
      next[q] = start[q];
    }
  for (gsize i = 0; i < size; i++)
    if ((keys == NULL || keys[i] != EMPTY) && values[i] != 0.)
      {
        gsize key = keys ? keys[i] : i;
        guint32 at = next[key / n]++;

        ((double *) (data + offset))[at] = values[i];
        ((guint32 *) (data + offset + count * sizeof (double)))[at] = key % n;
      }
  return g_bytes_new_take (data, layer_size (n, count));
}

/* The sums that are not 0, as the sparse layers (the form
 * _attn_sparse_layer_read_row() reads; each row's entries in no order). A
 * layer's sums are let go once it is made: @sums is left empty. */
GBytes **
_attn_edge_sums_to_layers (AttnEdgeSums *sums)
{
  GBytes **layers = g_new0 (GBytes *, sums->n_layers);

  for (guint l = 0; l < sums->n_layers; l++)
    if (l < sums->n_dense)
      {
        layers[l] = layer_new (sums->n, NULL, sums->dense[l], sums->nn);
        g_clear_pointer (&sums->dense[l], g_free);
      }
    else
      {
        Table *table = &sums->tables[l - sums->n_dense];

        layers[l] = layer_new (sums->n, table->keys, table->values, (gsize) 1 << table->bits);
        table_clear (table);
      }
  return layers;
}
