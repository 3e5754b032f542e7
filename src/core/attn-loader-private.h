/* attn-loader-private.h: what the parts of the export loader share
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * The loader (README, "The attention export") is split along the way a file
 * is read:
 *
 *  - attn-loader-scan.c: one pass over the (mapped) text copies it into the
 *    skeleton json-glib parses, a buffer the loader owns. On the way it
 *    refuses nesting deeper than MAX_DEPTH (before json-glib can overflow its
 *    stack), anything after the top-level value, comments and single quotes,
 *    and UTF-16/32 text. Long plain-ASCII strings (base64 payloads) and
 *    regular arrays of numbers under `attention`, `references` and
 *    `contributions` are replaced by short placeholders carrying a per-load
 *    random nonce (the numbers are read into one float64 array); escaped NULs
 *    and integers json-glib cannot hold become marked strings. It also notes
 *    which arrays are the `examples` and the prediction `candidates`, and
 *    which objects are `references`. attn-loader-where.c says where in the
 *    text its messages point: a line and column, a value's place in its
 *    field (or where in a field a file cut short stops), the id of the
 *    example, read ahead when it comes after.
 *  - attn-loader-guard.c: the mapped text is only read inside guarded calls,
 *    so a file truncated while it is read gives an error, not SIGBUS.
 *  - attn-loader-stream.c: json-glib's parser signals: duplicate keys (with
 *    where they are), and the `examples` and `candidates` arrays and the
 *    `references` objects, whose elements and members are turned into
 *    examples, candidates and references as soon as json-glib has parsed
 *    each one and then dropped from its tree, so memory stays near the size
 *    of the data, not of json-glib's tree.
 *  - attn-loader.c: the document: the skeleton's root, examples, the public
 *    API; attn-loader-fields.c the per-example fields; attn-loader-values.c
 *    the readers of strings and numbers and the error helpers.
 *  - attn-loader-arrays.c: declared shapes, and arrays given as nested JSON.
 *  - attn-loader-base64.c: strict base64, decoded straight from the mapped
 *    bytes (no copy of the giant string, no GLib base64 leniency).
 *  - attn-loader-npy.c: `.npy` sidecar files, read into memory the document
 *    owns; examples that name the same file share one copy.
 */

#pragma once

#include <json-glib/json-glib.h>

#include "attn-document-private.h"
#include "attn-error.h"
#include "attn-example-private.h"

G_BEGIN_DECLS

/* Array/object nesting allowed in a file (a multi-example file with nested
 * [L][H][n][n] attention needs 7). */
#define MAX_DEPTH 16

/* String values at least this long, made only of printable ASCII without
 * escapes, are kept out of json-glib and read from the mapped text. */
#define BLOB_MIN_LENGTH 1024

/* Regular arrays of numbers whose text is at least this long are read by the
 * scan (json-glib's tree costs ~110 bytes and ~1 µs per number); shorter ones
 * are cheaper as they are. */
#define DENSE_MIN_LENGTH 64

/* The mapped text is released (MADV_DONTNEED) in steps of this size once it
 * has been copied or decoded, so the text and what it becomes are not both
 * resident. */
#define RELEASE_CHUNK (4 * 1024 * 1024)

/* Regular nested arrays up to this rank are read by the scan; anything
 * irregular is left to json-glib for its precise errors. */
#define DENSE_MAX_RANK 4

/* What the key of a value is, as far as the scan cares. */
typedef enum
{
  KEY_OTHER,
  KEY_ROOT,          /* the top-level value */
  KEY_EXAMPLES,      /* "examples" in the top-level object */
  KEY_CANDIDATES,    /* "candidates" (of a prediction) */
  KEY_ATTENTION,     /* "attention" */
  KEY_REFERENCES,    /* "references" */
  KEY_REFERENCE,     /* a member of "references" */
  KEY_CONTRIBUTIONS, /* "contributions" */
  KEY_CONTRIBUTION,  /* a member of "contributions" */
} KeyKind;

typedef struct
{
  /* a long string: [start, start + length) of the text, without quotes */
  gsize   start;
  gsize   length;
  char   *copy;                          /* its text, once read as a string */

  /* or a regular nested array of numbers read by the scan */
  double *values;                        /* owned; NULL once taken */
  gsize   count;
  guint   rank;
  gsize   dims[DENSE_MAX_RANK + 1];      /* dims[1] outermost .. dims[rank] innermost */
  gboolean dense;
} Blob;

/* A placeholder: where it starts and ends in the skeleton (then the line
 * breaks of what it replaced, up to @skeleton_end), and what it replaced in
 * the text. Past @skeleton_end the two offsets differ by the same amount up
 * to the next one. A byte-order mark the skeleton leaves out is one of no
 * length in the skeleton. */
typedef struct
{
  gsize   skeleton_start;
  gsize   placeholder_end;
  gsize   skeleton_end;
  gsize   text_from;
  gsize   text_to;
} SkeletonJump;

/* The text json-glib parses: anonymous memory the loader owns, whose pages
 * are released behind the parser. */
typedef struct
{
  char    *data;
  gsize    length;
  gsize    capacity;
  gboolean anonymous;      /* @data is our own mapping (else g_malloc) */
  gsize    released;       /* pages before this offset are released */
  guint    cursor_line;    /* a known line start, for json-glib's line/column */
  gsize    cursor_offset;
} SkeletonText;

/* An array or object the scan found whose elements or members are handled
 * as json-glib parses them. */
typedef struct
{
  guint   ordinal;         /* 1 for the first '[' or '{' json-glib meets */
  KeyKind kind;            /* KEY_EXAMPLES, KEY_CANDIDATES (arrays) or KEY_REFERENCES */
} StreamedArray;

/* Candidates read while their array was parsed; the error has no example
 * yet (the example's id may come later in the file). */
typedef struct
{
  GArray    *candidates;   /* AttnCandidate */
  guint      n_seen;       /* elements read (the next one's index) */
  AttnError  code;
  char      *detail;       /* the first error, or NULL */
} PendingCandidates;

/* References read while their object was parsed, in file order: each was
 * an array of finite numbers (its length is checked once the example's n is
 * known). The first member that is anything else stops the streaming: it
 * and the members after it stay in the object, for the loader's errors. */
typedef struct
{
  GPtrArray *references;   /* AttnReference* */
  gboolean   stopped;
} PendingReferences;

typedef struct
{
  guint8             kind;       /* KeyKind of a streamed array or object, else KEY_OTHER */
  gboolean           is_object;
  guint              members;    /* objects: members parsed so far (and kept) */
  PendingCandidates *pending;    /* a streamed candidates array */
  PendingReferences *references; /* a streamed references object */
} Frame;

typedef struct _Loader Loader;
struct _Loader
{
  const char   *text;
  gsize         length;
  gboolean      mapped;       /* @text is a file mapping that may shrink under us */
  const char   *base_dir;     /* nullable */
  GCancellable *cancellable;
  GError       *fatal;        /* the file changed or the load was cancelled */

  /* scan */
  SkeletonText  skeleton;
  GArray       *blobs;        /* Blob */
  GArray       *jumps;        /* SkeletonJump: where the skeleton skips text, in order */
  gboolean      dense_arrays; /* read arrays of numbers without json-glib */
  char          prefix[48];   /* placeholder prefix, with the nonce */
  gsize         prefix_length;
  double       *dense_values; /* the array being read by the scan */
  gsize         dense_capacity;
  GArray       *streamed;     /* StreamedArray, in file order */

  /* stream */
  JsonParser   *parser;
  GArray       *frames;       /* Frame */
  guint         n_containers; /* arrays and objects started so far */
  guint         next_streamed;
  char         *duplicate;    /* first duplicate member name, or one holding a NUL */
  gboolean      duplicate_nul;
  GPtrArray    *duplicate_path; /* where it is, innermost component first */
  char         *duplicate_example; /* the streamed example it is in, named, or NULL */
  guint         duplicate_depth;
  GHashTable   *pending;      /* JsonArray* -> PendingCandidates* */
  GHashTable   *pending_references; /* JsonObject* -> PendingReferences* */
  AttnDocument *document;
  gboolean      examples_streamed;
  guint         n_examples;   /* elements of the examples array seen */
  GError       *example_error;

  /* examples */
  GHashTable   *npy_files;    /* real path -> NpyFile* */
  GHashTable   *npy_paths;    /* path as the file wrote it -> NpyFile* (not owned) */
  guint         n_renormalised; /* examples with renormalised rows */
  char         *renormalised; /* the warning of the first */
  GPtrArray    *misspelt;     /* Misspelt: members that look like a field's name */
  guint         n_stray_targets; /* examples with a contributions_target, no attn-grad */
  char         *stray_target; /* the name of the first */
};

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

/* How an integer field read. */
typedef enum
{
  INTEGER_OK,
  INTEGER_NOT_NUMBER,
  INTEGER_FRACTION,   /* a number, not integral */
  INTEGER_TOO_LARGE,  /* beyond 64 bits */
} IntegerResult;

/* attn-loader-guard.c */
typedef gboolean (*GuardedFunc) (Loader    *self,
                                 gpointer   data,
                                 GError   **error);
void         _attn_loader_set_changed_error (GError      **error);
gboolean     _attn_loader_guarded           (Loader       *self,
                                             GuardedFunc   func,
                                             gpointer      data,
                                             GError      **error);
gboolean     _attn_loader_copy_text         (Loader       *self,
                                             gsize         offset,
                                             gsize         length,
                                             char         *out);
void         _attn_loader_release_text      (Loader       *self,
                                             gsize         from,
                                             gsize         to);

/* attn-loader-where.c */
gboolean     _attn_loader_value_position    (const char   *text,
                                             gsize         field_at,
                                             gsize         at,
                                             const char   *field,
                                             char        **field_out,
                                             char        **position_out);
gboolean     _attn_loader_example_id_ahead  (const char   *text,
                                             gsize         length,
                                             gsize         from,
                                             guint         depth,
                                             gboolean      top_level,
                                             gsize        *id_start,
                                             gsize        *id_end,
                                             gboolean     *plain,
                                             gboolean     *wrapper);
guint        _attn_loader_line_of           (const char   *text,
                                             gsize         offset);
guint        _attn_loader_column_of         (const char   *text,
                                             gsize         offset);
void         _attn_loader_line_column       (const char   *text,
                                             gsize         offset,
                                             guint        *line,
                                             guint        *column);
gboolean     _attn_loader_cut_error         (const char   *text,
                                             gsize         length,
                                             gsize         field_at,
                                             const char   *field,
                                             const char   *example,
                                             GError      **error);

/* attn-loader-scan.c */
gboolean     _attn_loader_scan_text         (Loader       *self,
                                             GError      **error);
gboolean     _attn_loader_check_encoding    (Loader       *self,
                                             gsize        *start,
                                             GError      **error);
gsize        _attn_loader_skeleton_offset   (Loader       *self,
                                             guint         line,
                                             guint         column);
void         _attn_loader_skeleton_release  (Loader       *self,
                                             guint         line,
                                             guint         column);
void         _attn_loader_skeleton_clear    (SkeletonText *skeleton);

/* attn-loader-stream.c */
void         _attn_loader_stream_connect    (Loader       *self);
void         _attn_loader_stream_clear      (Loader       *self);
char        *_attn_loader_duplicate_message (Loader       *self);
PendingCandidates *_attn_loader_take_candidates (Loader    *self,
                                                 JsonArray *array);
void         _attn_loader_pending_free      (gpointer      data);
PendingReferences *_attn_loader_take_references (Loader     *self,
                                                 JsonObject *object);
void         _attn_loader_pending_references_free (gpointer data);

/* What _attn_loader_bad_value_error() reports: a word, NaN or an infinity, a
 * malformed number, or one too large for a double */
typedef enum
{
  BAD_WORD,
  BAD_NON_FINITE,
  BAD_NUMBER,
  BAD_TOO_LARGE,
} BadValue;

/* attn-loader-values.c */
gboolean     _attn_loader_field_error       (GError      **error,
                                             AttnError     code,
                                             const AttnExample *example,
                                             const char   *field,
                                             const char   *format,
                                             ...) G_GNUC_PRINTF (5, 6);
gboolean     _attn_loader_named_field_error (GError      **error,
                                             AttnError     code,
                                             const char   *name,
                                             const char   *field,
                                             const char   *format,
                                             ...) G_GNUC_PRINTF (5, 6);
const char  *_attn_loader_node_kind         (Loader       *self,
                                             JsonNode     *node);
Blob        *_attn_loader_lookup_blob       (Loader       *self,
                                             JsonNode     *node);
Blob        *_attn_loader_lookup_dense      (Loader       *self,
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
gboolean     _attn_loader_has_nul           (Loader       *self,
                                             const char   *s,
                                             gsize         length);
void         _attn_loader_bad_value_error   (GError      **error,
                                             BadValue      bad,
                                             const char   *example,
                                             const char   *field,
                                             const char   *position,
                                             const char   *word,
                                             guint         line,
                                             guint         column);
gboolean     _attn_loader_is_number         (const char   *text,
                                             gsize         length,
                                             gboolean     *integer);
gboolean     _attn_loader_number_too_large  (const char   *text,
                                             gsize         length);
gboolean     _attn_loader_is_bad_string     (Loader       *self,
                                             JsonNode     *node);
const char  *_attn_loader_not_string_kind  (Loader       *self,
                                             JsonNode     *node);
char        *_attn_loader_check_string      (Loader       *self,
                                             JsonNode     *node,
                                             const char  **s,
                                             gsize        *length);
gboolean     _attn_loader_dup_string_member (Loader       *self,
                                             JsonObject   *object,
                                             const char   *member,
                                             const AttnExample *example,
                                             const char   *field,
                                             char        **out,
                                             GError      **error);
gboolean     _attn_loader_read_number       (Loader       *self,
                                             JsonNode     *node,
                                             double       *out);
IntegerResult _attn_loader_read_integer     (Loader       *self,
                                             JsonNode     *node,
                                             gint64       *out);
char        *_attn_loader_number_text       (Loader       *self,
                                             JsonNode     *node);

/* attn-loader.c */
AttnExample *_attn_loader_load_example      (Loader       *self,
                                             JsonNode     *node,
                                             guint         index,
                                             GError      **error);

/* attn-loader-fields.c */
gboolean     _attn_loader_missing_error     (GError      **error,
                                             AttnExample  *example,
                                             JsonObject   *object,
                                             const char   *field);
gboolean     _attn_loader_load_tokens       (Loader       *self,
                                             AttnExample  *example,
                                             JsonObject   *object,
                                             GError      **error);
gboolean     _attn_loader_load_focus        (Loader       *self,
                                             AttnExample  *example,
                                             JsonObject   *object,
                                             GError      **error);
gboolean     _attn_loader_load_prediction   (Loader       *self,
                                             AttnExample  *example,
                                             JsonObject   *object,
                                             GError      **error);
gboolean     _attn_loader_load_references   (Loader       *self,
                                             AttnExample  *example,
                                             JsonObject   *object,
                                             GError      **error);
gboolean     _attn_loader_stream_reference  (Loader            *self,
                                             const char        *name,
                                             JsonNode          *node,
                                             PendingReferences *pending);
gboolean     _attn_loader_load_antecedents  (Loader       *self,
                                             AttnExample  *example,
                                             JsonObject   *object,
                                             GError      **error);
gboolean     _attn_loader_load_contributions (Loader      *self,
                                              AttnExample *example,
                                              JsonObject  *object,
                                              GError     **error);
PendingCandidates *_attn_loader_pending_new (void);
void         _attn_loader_read_candidates   (Loader       *self,
                                             JsonArray    *array,
                                             guint         first,
                                             PendingCandidates *pending);

/* attn-loader-arrays.c */
gboolean     _attn_loader_check_shape       (AttnExample   *example,
                                             AttnTensor    *tensor,
                                             const char    *field,
                                             const guint64 *shape,
                                             guint          rank,
                                             gsize          item_size,
                                             gsize         *out_bytes,
                                             GError       **error);
gboolean     _attn_loader_load_nested       (Loader        *self,
                                             AttnExample   *example,
                                             AttnTensor    *tensor,
                                             const char    *field,
                                             JsonArray     *layers,
                                             GError       **error);
gboolean     _attn_loader_load_dense        (AttnExample   *example,
                                             AttnTensor    *tensor,
                                             const char    *field,
                                             Blob          *blob,
                                             GError       **error);
gboolean     _attn_loader_load_tensor       (Loader        *self,
                                             AttnExample   *example,
                                             AttnTensor    *tensor,
                                             const char    *field,
                                             JsonNode      *node,
                                             GError       **error);

/* attn-loader-base64.c */
gboolean     _attn_loader_load_base64       (Loader        *self,
                                             AttnExample   *example,
                                             AttnTensor    *tensor,
                                             const char    *field,
                                             JsonObject    *encoded,
                                             GError       **error);

/* attn-loader-npy.c */
gboolean     _attn_loader_load_npy          (Loader        *self,
                                             AttnExample   *example,
                                             AttnTensor    *tensor,
                                             const char    *field,
                                             JsonObject    *encoded,
                                             GError       **error);
gboolean     _attn_loader_validate_attention (Loader       *self,
                                              AttnExample  *example,
                                              GError      **error);
void         _attn_loader_npy_file_free     (gpointer       data);

G_END_DECLS
