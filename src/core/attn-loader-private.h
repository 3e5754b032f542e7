/* attn-loader-private.h: what the parts of the export loader share
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * The loader (DESIGN.md §3) is split along the way a file is read:
 *
 *  - attn-loader-scan.c: a cheap byte scan over the (mapped) text finds the
 *    structure json-glib would see: it refuses nesting deeper than MAX_DEPTH
 *    before json-glib can overflow its stack, refuses anything after the
 *    top-level value, and finds long plain-ASCII string values (base64
 *    payloads) and regular nested arrays of numbers under an `attention` key
 *    (read into one float64 array). Those are replaced by short placeholders
 *    carrying a per-load random nonce, so json-glib parses only a small
 *    skeleton.
 *  - attn-loader.c: the JSON skeleton: UTF-8 check, parse, duplicate keys
 *    (through the parser's `object-member` signal), then each example is read
 *    into the private AttnExample struct and every attention row validated by
 *    _attn_example_validate(). The value readers and error helpers live here.
 *  - attn-loader-arrays.c: declared shapes, and attention given as nested
 *    JSON arrays.
 *  - attn-loader-base64.c: strict base64, decoded straight from the mapped
 *    bytes (no copy of the giant string, no GLib base64 leniency).
 *  - attn-loader-npy.c: `.npy` sidecar files.
 */

#pragma once

#include <json-glib/json-glib.h>

#include "attn-error.h"
#include "attn-example-private.h"

G_BEGIN_DECLS

/* Array/object nesting allowed in a file (a multi-example file with nested
 * [L][H][n][n] attention needs 7). */
#define MAX_DEPTH 16

/* String values at least this long, made only of printable ASCII without
 * escapes, are kept out of json-glib and read from the mapped text. */
#define BLOB_MIN_LENGTH 1024

/* The mapped text of a long string is released (MADV_DONTNEED) once the scan
 * has passed it, and in steps of this size while it is decoded, so the text
 * and the decoded array are not both resident. */
#define RELEASE_CHUNK (4 * 1024 * 1024)

/* Regular nested `attention` arrays up to this rank are read by the scan
 * rather than through json-glib's tree (which costs ~110 bytes and ~1 µs per
 * number); anything irregular is left to json-glib for its precise errors. */
#define DENSE_MAX_RANK 4

typedef struct
{
  /* a long string: [start, start + length) of the text, without quotes */
  gsize   start;
  gsize   length;

  /* or a regular nested array of numbers read by the scan */
  double *values;                        /* owned; NULL once taken */
  gsize   count;
  guint   rank;
  gsize   dims[DENSE_MAX_RANK + 1];      /* dims[1] outermost .. dims[rank] innermost */
  gboolean dense;
} Blob;

typedef struct
{
  const char   *text;
  gsize         length;
  gboolean      mapped;       /* @text is a private file mapping we may release */
  const char   *base_dir;     /* nullable */
  GCancellable *cancellable;

  GArray       *blobs;        /* Blob */
  gboolean      dense_arrays; /* read nested attention arrays without json-glib */
  char          prefix[48];   /* placeholder prefix, with the nonce */
  gsize         prefix_length;

  GHashTable   *members;      /* JsonObject* -> GHashTable of member names */
  char         *duplicate;    /* first duplicate member name */
  JsonObject   *duplicate_in; /* the object it is in */

  GPtrArray    *renormalised; /* char*: one warning per renormalised example */
} Loader;

static inline gsize
_attn_loader_dtype_size (AttnDtype dtype)
{
  switch (dtype)
    {
    case ATTN_DTYPE_FLOAT16:
      return 2;
    case ATTN_DTYPE_FLOAT32:
      return 4;
    case ATTN_DTYPE_FLOAT64:
    default:
      return 8;
    }
}

static inline gboolean
_attn_loader_is_json_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static inline gboolean
_attn_loader_read_number (JsonNode *node,
                          double   *out)
{
  GType type;

  if (JSON_NODE_TYPE (node) != JSON_NODE_VALUE)
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_DOUBLE)
    *out = json_node_get_double (node);
  else if (type == G_TYPE_INT64)
    *out = (double) json_node_get_int (node);
  else
    return FALSE;

  return TRUE;
}

static inline gboolean
_attn_loader_read_integer (JsonNode *node,
                           gint64   *out)
{
  if (JSON_NODE_TYPE (node) != JSON_NODE_VALUE || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;

  *out = json_node_get_int (node);
  return TRUE;
}

/* attn-loader-scan.c */
guint        _attn_loader_line_of           (const char   *text,
                                             gsize         offset);
void         _attn_loader_release_text      (Loader       *self,
                                             gsize         from,
                                             gsize         to);
void         _attn_loader_blob_clear        (gpointer      data);
gboolean     _attn_loader_scan_text         (Loader       *self,
                                             GString     **skeleton,
                                             GError      **error);

/* attn-loader.c */
void         _attn_loader_field_error       (GError      **error,
                                             AttnError     code,
                                             const char   *example,
                                             const char   *field,
                                             const char   *format,
                                             ...) G_GNUC_PRINTF (5, 6);
const char  *_attn_loader_node_kind         (JsonNode     *node);
Blob        *_attn_loader_lookup_blob       (Loader       *self,
                                             JsonNode     *node);
gboolean     _attn_loader_read_string_full  (Loader       *self,
                                             JsonNode     *node,
                                             const char  **out,
                                             gsize        *out_length,
                                             gboolean     *from_text);
gboolean     _attn_loader_read_string       (Loader       *self,
                                             JsonNode     *node,
                                             const char  **out,
                                             gsize        *out_length);
gboolean     _attn_loader_dup_string_member (Loader       *self,
                                             JsonObject   *object,
                                             const char   *member,
                                             const char   *example,
                                             char        **out,
                                             GError      **error);

/* attn-loader-arrays.c */
gboolean     _attn_loader_check_shape       (AttnExample   *example,
                                             const char    *field,
                                             const guint64 *shape,
                                             guint          rank,
                                             gsize          item_size,
                                             gsize         *out_bytes,
                                             GError       **error);
gboolean     _attn_loader_load_nested       (AttnExample   *example,
                                             JsonArray     *layers,
                                             GError       **error);
gboolean     _attn_loader_load_dense        (AttnExample   *example,
                                             Blob          *blob,
                                             GError       **error);

/* attn-loader-base64.c */
gboolean     _attn_loader_load_base64       (Loader        *self,
                                             AttnExample   *example,
                                             JsonObject    *encoded,
                                             GError       **error);

/* attn-loader-npy.c */
gboolean     _attn_loader_load_npy          (Loader        *self,
                                             AttnExample   *example,
                                             JsonObject    *encoded,
                                             GError       **error);

G_END_DECLS
