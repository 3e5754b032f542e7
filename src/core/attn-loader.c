/* attn-loader.c: reads attention export v1 (README, "The attention export"):
 * the document and its examples
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* How a file is read, and which part does what: see attn-loader-private.h. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#ifdef G_OS_UNIX
#include <unistd.h>
#endif

#include "attn-loader-private.h"

/* ---------------------------------------------------------------------- */
/* Examples                                                                */

/* The fields of an example the loader reads; others are ignored */
static const char *const example_fields[] = {
  "id", "text", "model", "tokens", "focus", "antecedents", "prediction", "references",
  "attention", "contributions", "contributions_target",
};

/* A member whose name looks like a misspelling of a field's, and the
 * examples that have it: one block, the two strings after the struct */
typedef struct
{
  const char *field;
  const char *example;  /* the first, as attn_error_example_name() names it */
  guint       count;
  char        name[];
} Misspelt;

/* The edit distance of @a and @b, letters of either case alike (names of
 * up to 32 bytes; longer ones are far from every field) */
static guint
name_distance (const char *a,
               const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  guint row[33];

  if (la > 32 || lb > 32)
    return G_MAXUINT;
  for (gsize j = 0; j <= lb; j++)
    row[j] = (guint) j;
  for (gsize i = 1; i <= la; i++)
    {
      guint diagonal = row[0];

      row[0] = (guint) i;
      for (gsize j = 1; j <= lb; j++)
        {
          guint above = row[j];
          guint cost = g_ascii_tolower (a[i - 1]) != g_ascii_tolower (b[j - 1]);

          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diagonal + cost);
          diagonal = above;
        }
    }
  return row[lb];
}

/* The field @name looks like a misspelling of (another case, or a letter
 * or two apart: one for names of 5 letters, two from 6; shorter ones only
 * in another case, as "next" is no "text"), or NULL for a field's own name
 * or one like none */
static const char *
misspelt_field (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (example_fields); i++)
    if (g_str_equal (name, example_fields[i]))
      return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (example_fields); i++)
    {
      gsize length = strlen (example_fields[i]);
      guint distance = name_distance (name, example_fields[i]);

      if (distance == 0 || (length >= 5 && distance <= (length >= 6 ? 2u : 1u)))
        return example_fields[i];
    }
  return NULL;
}

/*
 * _attn_loader_missing_error:
 * Sets @error: the example lacks @field, which it needs; a member of
 * @object whose name looks like a misspelling of it is named.
 *
 * Returns: %FALSE
 */
gboolean
_attn_loader_missing_error (GError      **error,
                            AttnExample  *example,
                            JsonObject   *object,
                            const char   *field)
{
  g_autoptr(GList) names = json_object_get_members (object);

  for (GList *l = names; l != NULL; l = l->next)
    if (g_strcmp0 (misspelt_field (l->data), field) == 0)
      {
        g_autofree char *name = attn_error_quote_text (l->data);

        /* translators: %s is the name of a member of the example's object */
        return _attn_loader_field_error (error, ATTN_ERROR_INVALID, example, field,
                                         _("missing (the example has “%s”: a misspelling?)"),
                                         name);
      }
  /* a line of the exporter's sentences (JSON Lines of one line) given for its export */
  if (g_str_equal (field, "tokens") && !json_object_has_member (object, "attention") &&
      json_object_has_member (object, "text"))
    return _attn_loader_field_error (error, ATTN_ERROR_INVALID, example, field,
                                     _("missing, as is “attention”: this looks like a sentence "
                                       "for attnflow-export (--examples-file), not the attention "
                                       "export it writes"));
  return _attn_loader_field_error (error, ATTN_ERROR_INVALID, example, field,
                                   _("missing"));
}

/* Notes the members of @object that look like misspelt fields: they are
 * ignored, as every member the loader does not read, but said once per
 * file (load_root()) */
static void
note_misspelt (Loader      *self,
               AttnExample *example,
               JsonObject  *object)
{
  g_autoptr(GList) names = json_object_get_members (object);

  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *field = misspelt_field (l->data);
      Misspelt *misspelt = NULL;

      if (field == NULL)
        continue;
      for (guint i = 0; i < self->misspelt->len && misspelt == NULL; i++)
        if (g_str_equal (((Misspelt *) g_ptr_array_index (self->misspelt, i))->name, l->data))
          misspelt = g_ptr_array_index (self->misspelt, i);
      if (misspelt == NULL)
        {
          g_autofree char *example_name = attn_error_example_name (example->id, example->index);
          gsize name_size = strlen (l->data) + 1, example_size = strlen (example_name) + 1;

          misspelt = g_malloc0 (sizeof (Misspelt) + name_size + example_size);
          memcpy (misspelt->name, l->data, name_size);
          misspelt->example = memcpy (misspelt->name + name_size, example_name, example_size);
          misspelt->field = field;
          g_ptr_array_add (self->misspelt, misspelt);
        }
      misspelt->count++;
    }
}

static void
warn_misspelt (Loader       *self,
               AttnDocument *document)
{
  for (guint i = 0; i < self->misspelt->len; i++)
    {
      Misspelt *misspelt = g_ptr_array_index (self->misspelt, i);
      const char *example = misspelt->example;
      g_autofree char *name = attn_error_quote_text (misspelt->name);

      if (misspelt->count == 1)
        g_ptr_array_add (document->warnings,
                         /* translators: an example as “cat-mat” (its id) or 3 (no id) (its
                          * index) name it, the name of one of its members, and a field name */
                         g_strdup_printf (_("Example %s: “%s” is not a field attnflow reads, "
                                            "and was ignored: did you mean “%s”?"),
                                          example, name, misspelt->field));
      else
        g_ptr_array_add (document->warnings,
                         /* translators: an example as “cat-mat” (its id) or 3 (no id) (its
                          * index) name it, a count of other examples, the name of a member,
                          * and a field name */
                         g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                       "Example %s and %u more: “%s” is not a "
                                                       "field attnflow reads, and was ignored: "
                                                       "did you mean “%s”?",
                                                       "Example %s and %u more: “%s” is not a "
                                                       "field attnflow reads, and was ignored: "
                                                       "did you mean “%s”?",
                                                       misspelt->count - 1),
                                          example, misspelt->count - 1, name, misspelt->field));
    }
}

static gboolean
load_attention (Loader       *self,
                AttnExample  *example,
                JsonObject   *object,
                GError      **error)
{
  JsonNode *node = json_object_get_member (object, "attention");

  if (node == NULL)
    return _attn_loader_missing_error (error, example, object, "attention");

  if (!_attn_loader_load_tensor (self, example, &example->attention, "attention", node, error))
    return FALSE;

  if (g_cancellable_set_error_if_cancelled (self->cancellable, error))
    return FALSE;
  return _attn_loader_validate_attention (self, example, error);
}

/* The labels of an example: `id`, `text`, `model`. */
static gboolean
load_labels (Loader       *self,
             AttnExample  *example,
             JsonObject   *object,
             const char   *index_label,
             GError      **error)
{
  char *text = NULL, *model = NULL;

  if (!_attn_loader_dup_string_member (self, object, "id", example, NULL, &example->id,
                                       error))
    return FALSE;
  /* an empty id is no id: the example is named by its index, not “” */
  if (example->id != NULL && example->id[0] == '\0')
    g_clear_pointer (&example->id, g_free);
  _attn_example_set_label (example, index_label);

  if (!_attn_loader_dup_string_member (self, object, "text", example, NULL, &text,
                                       error))
    return FALSE;
  if (text != NULL)
    _attn_example_get_extras (example)->text = text;

  if (!_attn_loader_dup_string_member (self, object, "model", example, NULL, &model,
                                       error))
    return FALSE;
  if (model != NULL)
    _attn_example_get_extras (example)->model = model;

  return TRUE;
}

/*
 * _attn_loader_load_example:
 * Reads example @index from its JSON object and validates it.
 *
 * Returns: (transfer full) (nullable): the example (packed), or %NULL with
 *   @error set
 */
AttnExample *
_attn_loader_load_example (Loader      *self,
                           JsonNode    *node,
                           guint        index,
                           GError     **error)
{
  g_autoptr(AttnExample) example = _attn_example_new ();
  char index_label[16];
  JsonObject *object;

  example->index = index;
  g_snprintf (index_label, sizeof index_label, "%u", index);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      /* translators: an example's 0-based index, as --example takes it, then what it is
       * (an array, a number…) */
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_INVALID,
                   _("Example %u is %s, not an object"), index,
                   _attn_loader_node_kind (self, node));
      return NULL;
    }
  object = json_node_get_object (node);

  /* the attention right after the tokens: when the tokens are one short, it is the
   * attention that is said to disagree with them, not a reference or the focus */
  if (!load_labels (self, example, object, index_label, error) ||
      !_attn_loader_load_tokens (self, example, object, error) ||
      !load_attention (self, example, object, error) ||
      !_attn_loader_load_focus (self, example, object, error) ||
      !_attn_loader_load_antecedents (self, example, object, error) ||
      !_attn_loader_load_prediction (self, example, object, error) ||
      !_attn_loader_load_references (self, example, object, error) ||
      !_attn_loader_load_contributions (self, example, object, error))
    return NULL;
  note_misspelt (self, example, object);

  return _attn_example_pack (g_steal_pointer (&example));
}

/* ---------------------------------------------------------------------- */
/* The document                                                            */

static gboolean
check_version (Loader      *self,
               JsonObject  *root,
               GError     **error)
{
  JsonNode *version = json_object_get_member (root, "version");
  g_autofree char *shown = NULL;
  gint64 v = 0;

  if (version == NULL)
    return _attn_loader_field_error (error, ATTN_ERROR_INVALID, NULL, "version",
                                     _("missing (expected 1)"));

  switch (_attn_loader_read_integer (self, version, &v))
    {
    case INTEGER_OK:
      if (v == 1)
        return TRUE;
      G_GNUC_FALLTHROUGH;
    case INTEGER_TOO_LARGE:
    case INTEGER_FRACTION:
      shown = _attn_loader_number_text (self, version);
      return _attn_loader_field_error (error, ATTN_ERROR_UNSUPPORTED, NULL, "version",
                                       _("version %s is not supported (this program reads version 1)"),
                                       shown);
    case INTEGER_NOT_NUMBER:
    default:
      return _attn_loader_field_error (error, ATTN_ERROR_INVALID, NULL, "version",
                                       _("expected 1, found %s"),
                                       _attn_loader_node_kind (self, version));
    }
}

static gboolean
check_format (Loader      *self,
              JsonObject  *root,
              GError     **error)
{
  JsonNode *format = json_object_get_member (root, "format");
  const char *s;
  gsize length;

  if (format == NULL)
    return _attn_loader_field_error (error, ATTN_ERROR_INVALID, NULL, "format",
                                     _("missing (expected \"attnflow\" next to “examples”)"));
  if (!_attn_loader_read_string (self, format, &s, &length) || length != strlen ("attnflow") ||
      memcmp (s, "attnflow", length) != 0)
    {
      g_autofree char *shown = NULL;

      if (_attn_loader_read_string (self, format, &s, &length))
        {
          const char *end = s + MIN (length, 64);

          /* at most 64 bytes, cut between characters */
          if (end < s + length && (*end & 0xc0) == 0x80)
            end = g_utf8_find_prev_char (s, end);
          shown = g_strdup_printf ("“%.*s”", (int) (end - s), s);
        }
      return _attn_loader_field_error (error, ATTN_ERROR_UNSUPPORTED, NULL, "format",
                                       _("unknown format %s (expected \"attnflow\")"),
                                       shown != NULL ? shown : _attn_loader_node_kind (self, format));
    }

  return check_version (self, root, error);
}

/* The examples array of a multi-example file: read while json-glib parsed
 * it, or (if the scan did not see it) now. */
static gboolean
load_examples (Loader        *self,
               JsonNode      *examples_node,
               AttnDocument  *document,
               GError       **error)
{
  JsonArray *examples;
  guint n;

  if (!JSON_NODE_HOLDS_ARRAY (examples_node))
    return _attn_loader_field_error (error, ATTN_ERROR_INVALID, NULL, "examples",
                                     _("expected an array of examples, found %s"),
                                     _attn_loader_node_kind (self, examples_node));
  examples = json_node_get_array (examples_node);

  n = self->examples_streamed ? self->n_examples : json_array_get_length (examples);
  if (n == 0)
    return _attn_loader_field_error (error, ATTN_ERROR_INVALID, NULL, "examples",
                                     _("empty: the file holds no example"));

  if (self->examples_streamed)
    {
      if (self->example_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&self->example_error));
          return FALSE;
        }
      return TRUE;
    }

  for (guint i = 0; i < n; i++)
    {
      AttnExample *example;

      if (g_cancellable_set_error_if_cancelled (self->cancellable, error))
        return FALSE;
      example = _attn_loader_load_example (self, json_array_get_element (examples, i), i,
                                           error);
      g_hash_table_remove_all (self->pending);
      if (example == NULL)
        return FALSE;
      g_ptr_array_add (document->examples, example);
    }
  return TRUE;
}

/* Two examples with one id: --example ID and FILE:ID would name the first
 * only. */
static gboolean
check_unique_ids (AttnDocument  *document,
                  GError       **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < document->examples->len; i++)
    {
      const char *id = attn_example_get_id (g_ptr_array_index (document->examples, i));
      gpointer first;

      if (id == NULL)
        continue;
      if (g_hash_table_lookup_extended (seen, id, NULL, &first))
        /* translators: two 0-based example indices */
        return _attn_loader_field_error (error, ATTN_ERROR_INVALID,
                                         g_ptr_array_index (document->examples, i), "id",
                                         _("examples %u and %u both have this id; each example "
                                           "needs its own"), GPOINTER_TO_UINT (first), i);
      g_hash_table_insert (seen, (gpointer) id, GUINT_TO_POINTER (i));
    }
  return TRUE;
}

static gboolean
load_root (Loader        *self,
           JsonNode      *root,
           AttnDocument  *document,
           GError       **error)
{
  JsonObject *object;
  JsonNode *examples_node;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_INVALID,
                   _("The top level is %s; expected an example object or "
                     "{\"format\": \"attnflow\", \"version\": 1, \"examples\": […]}"),
                   root ? _attn_loader_node_kind (self, root) : _("empty"));
      return FALSE;
    }
  object = json_node_get_object (root);
  examples_node = json_object_get_member (object, "examples");

  if (examples_node != NULL || json_object_has_member (object, "format") ||
      json_object_has_member (object, "version"))
    {
      if (!check_format (self, object, error) ||
          !_attn_loader_dup_string_member (self, object, "model", NULL, NULL, &document->model,
                                           error))
        return FALSE;
    }

  if (examples_node != NULL)
    {
      if (!load_examples (self, examples_node, document, error))
        return FALSE;
    }
  else
    {
      AttnExample *example = _attn_loader_load_example (self, root, 0, error);

      if (example == NULL)
        return FALSE;
      g_ptr_array_add (document->examples, example);
      if (document->model == NULL && attn_example_get_model (example) != NULL)
        document->model = g_strdup (attn_example_get_model (example));
    }

  if (!check_unique_ids (document, error))
    return FALSE;
  warn_misspelt (self, document);
  if (self->n_stray_targets == 1)
    g_ptr_array_add (document->warnings,
                     /* translators: an example as “cat-mat” (its id) or 3 (no id) (its index)
                      * name it */
                     g_strdup_printf (_("Example %s: “contributions_target” was ignored: it "
                                        "names what the gradient of attn-grad contributions was "
                                        "taken for, and the example has none"), self->stray_target));
  else if (self->n_stray_targets > 1)
    g_ptr_array_add (document->warnings,
                     /* translators: an example as “cat-mat” (its id) or 3 (no id) (its index)
                      * name it, then a count of other examples */
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "Example %s and %u more: “contributions_target” "
                                                   "was ignored: it names what the gradient of "
                                                   "attn-grad contributions was taken for, and the "
                                                   "examples have none",
                                                   "Example %s and %u more: “contributions_target” "
                                                   "was ignored: it names what the gradient of "
                                                   "attn-grad contributions was taken for, and the "
                                                   "examples have none",
                                                   self->n_stray_targets - 1),
                                      self->stray_target, self->n_stray_targets - 1));

  /* One warning per file for renormalised rows (README, "The attention
   * export"). */
  if (self->n_renormalised == 1)
    g_ptr_array_add (document->warnings, g_strdup (self->renormalised));
  else if (self->n_renormalised > 1)
    g_ptr_array_add (document->warnings,
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "%s; %u more example was renormalised too",
                                                   "%s; %u more examples were renormalised too",
                                                   self->n_renormalised - 1),
                                      self->renormalised, self->n_renormalised - 1));

  return TRUE;
}

static void
blob_clear (gpointer data)
{
  Blob *blob = data;

  g_clear_pointer (&blob->values, g_free);
  g_clear_pointer (&blob->copy, g_free);
}

static void
loader_init (Loader       *self,
             const char   *text,
             gsize         length,
             gboolean      mapped,
             gboolean      dense_arrays,
             const char   *base_dir,
             GCancellable *cancellable)
{
  self->text = text;
  self->length = length;
  self->mapped = mapped;
  self->base_dir = base_dir;
  self->cancellable = cancellable;
  self->blobs = g_array_new (FALSE, TRUE, sizeof (Blob));
  g_array_set_clear_func (self->blobs, blob_clear);
  self->jumps = g_array_new (FALSE, FALSE, sizeof (SkeletonJump));
  self->misspelt = g_ptr_array_new_with_free_func (g_free);
  self->streamed = g_array_new (FALSE, FALSE, sizeof (StreamedArray));
  self->dense_arrays = dense_arrays;
  self->npy_files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           _attn_loader_npy_file_free);
  self->npy_paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->prefix_length = (gsize) g_snprintf (self->prefix, sizeof self->prefix,
                                            "attnflow-blob:%08x%08x%08x:",
                                            g_random_int (), g_random_int (), g_random_int ());
}

static void
loader_clear (Loader *self)
{
  _attn_loader_stream_clear (self);
  g_clear_object (&self->parser);
  _attn_loader_skeleton_clear (&self->skeleton);
  g_array_unref (self->blobs);
  g_array_unref (self->jumps);
  g_ptr_array_unref (self->misspelt);
  g_array_unref (self->streamed);
  g_hash_table_unref (self->npy_paths);
  g_hash_table_unref (self->npy_files);
  g_free (self->dense_values);
  g_free (self->renormalised);
  g_free (self->stray_target);
  g_clear_error (&self->fatal);
}

/* The offset in the file's text of @skeleton_offset, and the line breaks
 * of the text before it that the skeleton has after it (*@lines): those of
 * an array whose placeholder it ends */
static gsize
text_offset (Loader *self,
             gsize   skeleton_offset,
             guint  *lines)
{
  guint low = 0, high = self->jumps->len;
  const SkeletonJump *jump;

  *lines = 0;
  while (low < high)
    {
      guint mid = low + (high - low) / 2;

      if (g_array_index (self->jumps, SkeletonJump, mid).skeleton_start <= skeleton_offset)
        low = mid + 1;
      else
        high = mid;
    }
  if (low == 0)
    return MIN (skeleton_offset, self->length);
  jump = &g_array_index (self->jumps, SkeletonJump, low - 1);
  if (skeleton_offset >= jump->skeleton_end)
    return MIN (jump->text_to + (skeleton_offset - jump->skeleton_end), self->length);
  if (skeleton_offset == jump->skeleton_start)
    return jump->text_from;
  /* in the placeholder or at its end: the end of what it replaced */
  *lines = (guint) (jump->skeleton_end - jump->placeholder_end);
  return jump->text_to;
}

typedef struct
{
  gsize offset;
  guint column;
} ColumnJob;

static gboolean
column_cb (Loader   *self,
           gpointer  data,
           GError  **error)
{
  ColumnJob *job = data;

  job->column = _attn_loader_column_of (self->text, job->offset);
  return TRUE;
}

/* What json-glib found wrong, in our words (its own are English only), where
 * it found it: json-glib's line and byte count the skeleton, which keeps the
 * file's lines but not its columns (a placeholder stands for each array the
 * scan read), so its place is taken back to the file's line and column. The
 * scan has already reported NaN, Infinity, other bare words and a truncated
 * file the same way. */
static void
set_json_error (Loader        *self,
                const GError  *parse_error,
                GError       **error)
{
  const char *reason;
  guint line = 0, column = 0;

  switch (parse_error->domain == JSON_PARSER_ERROR ? parse_error->code : -1)
    {
    case JSON_PARSER_ERROR_TRAILING_COMMA:
      reason = _("a comma before a closing bracket or brace");
      break;
    case JSON_PARSER_ERROR_MISSING_COMMA:
      reason = _("a missing comma between two values");
      break;
    case JSON_PARSER_ERROR_MISSING_COLON:
      reason = _("a missing colon after a key");
      break;
    case JSON_PARSER_ERROR_EMPTY_MEMBER_NAME:
      reason = _("an empty key");
      break;
    default:
      reason = _("a missing or extra comma, colon, quote, bracket or brace");
      break;
    }
  /* json-glib's message starts "<data>:LINE:COLUMN: "; the skeleton's
   * lines are the file's, its columns are not */
  if (sscanf (parse_error->message, "<data>:%u:%u:", &line, &column) == 2 && line > 0)
    {
      guint lines;
      ColumnJob job = { text_offset (self, _attn_loader_skeleton_offset (self, line, column),
                                     &lines), 0 };

      if (!_attn_loader_guarded (self, column_cb, &job, error))
        return;
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_PARSE,
                   /* translators: a line and a column, then what is wrong near them */
                   _("Line %u, column %u: the file is not valid JSON: %s near here"), line + lines,
                   job.column, reason);
    }
  else
    g_set_error (error, ATTN_ERROR, ATTN_ERROR_PARSE, _("The file is not valid JSON: %s"), reason);
}

/* Parses the skeleton, the examples streaming out of it as it goes. */
static gboolean
parse_skeleton (Loader   *self,
                GError  **error)
{
  SkeletonText *sk = &self->skeleton;
  g_autoptr(GError) parse_error = NULL;
  g_autofree char *duplicate = NULL;
  const char *invalid;

  if (!g_utf8_validate_len (sk->data, sk->length, &invalid))
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_PARSE,
                   _("Line %u: the file is not valid UTF-8 (or holds a NUL byte)"),
                   _attn_loader_line_of (sk->data, (gsize) (invalid - sk->data)));
      return FALSE;
    }

  if (g_cancellable_set_error_if_cancelled (self->cancellable, error))
    return FALSE;

  self->parser = json_parser_new ();
  _attn_loader_stream_connect (self);
  if (!json_parser_load_from_data (self->parser, sk->length ? sk->data : "", (gssize) sk->length,
                                   &parse_error) &&
      self->fatal == NULL)
    {
      set_json_error (self, parse_error, error);
      return FALSE;
    }

  /* json-glib copied what it needs */
  _attn_loader_skeleton_clear (sk);

  if (self->fatal != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->fatal));
      return FALSE;
    }

  duplicate = _attn_loader_duplicate_message (self);
  if (duplicate != NULL)
    {
      g_set_error_literal (error, ATTN_ERROR, ATTN_ERROR_INVALID, duplicate);
      return FALSE;
    }

  return TRUE;
}

static AttnDocument *
load_text (const char    *text,
           gsize          length,
           gboolean       mapped,
           gboolean       dense_arrays,
           const char    *base_dir,
           GCancellable  *cancellable,
           GError       **error)
{
  Loader self = { 0 };
  g_autoptr(AttnDocument) document = _attn_document_new ();
  gboolean ok;

  loader_init (&self, text, length, mapped, dense_arrays, base_dir, cancellable);
  self.document = document;

  ok = _attn_loader_scan_text (&self, error) &&
       parse_skeleton (&self, error) &&
       load_root (&self, json_parser_get_root (self.parser), document, error);

  /* the file shrank while an example was decoded from it */
  if (ok && self.fatal != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self.fatal));
      ok = FALSE;
    }

  loader_clear (&self);
  return ok ? g_steal_pointer (&document) : NULL;
}

/*
 * _attn_document_load_from_data_full:
 * As attn_document_load_from_data(); @dense_arrays FALSE reads nested arrays
 * through json-glib's tree only (tests compare both readers).
 */
AttnDocument *
_attn_document_load_from_data_full (const char    *data,
                                    gsize          length,
                                    const char    *base_dir,
                                    gboolean       dense_arrays,
                                    GCancellable  *cancellable,
                                    GError       **error)
{
  AttnDocument *document;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  document = load_text (data ? data : "", length, FALSE, dense_arrays, base_dir, cancellable, error);
  /* read from memory: the model, no file name (a file's are given once its path is known) */
  if (document != NULL)
    _attn_document_label_examples (document);
  return document;
}

/*
 * _attn_document_load_mapped:
 * @path: (nullable): the file mapped
 * @state: (nullable): the file as it was mapped
 *
 * Reads an export from the mapping of a file, which may shrink while it is
 * read: then the load fails with an error instead of SIGBUS. A load that
 * fails on a file that changed meanwhile says so: the bytes past its new
 * end in its last page read as NULs (an error said "character 99995849
 * is not base64").
 */
AttnDocument *
_attn_document_load_mapped (const char          *text,
                            gsize                length,
                            const char          *path,
                            const AttnFileState *state,
                            const char          *base_dir,
                            GCancellable        *cancellable,
                            GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  AttnDocument *document = load_text (text, length, TRUE, TRUE, base_dir, cancellable, &local_error);

  if (document == NULL && path != NULL && state != NULL &&
      !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      _attn_file_state_changed (path, state))
    {
      g_clear_error (&local_error);
      _attn_loader_set_changed_error (&local_error);
    }
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return document;
}

/**
 * attn_document_load_from_data:
 * @data: (array length=length): the export's text (need not be nul-terminated)
 * @length: bytes in @data
 * @base_dir: (nullable): the folder `.npy` paths are resolved in; %NULL refuses them
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an %ATTN_ERROR
 *
 * Reads an attention export v1 (README, "The attention export") from memory
 * and validates it.
 * The document owns everything it holds: @data may be freed afterwards.
 *
 * Returns: (transfer full) (nullable): the document, or %NULL with @error set
 */
AttnDocument *
attn_document_load_from_data (const char    *data,
                              gsize          length,
                              const char    *base_dir,
                              GCancellable  *cancellable,
                              GError       **error)
{
  return _attn_document_load_from_data_full (data, length, base_dir, TRUE, cancellable, error);
}

/* Opens @path for reading, refusing what is not a regular file (a FIFO or a
 * device would block or never end). Returns the descriptor, or -1. */
static int
open_regular_file (const char  *path,
                   const char  *display,
                   gsize       *size,
                   GError     **error)
{
  struct stat st;
  int fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0);
  g_autoptr(GError) local_error = NULL;
  int saved_errno;

  if (fd < 0 || fstat (fd, &st) != 0)
    {
      saved_errno = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_IO, _("Cannot read “%s”: %s"), display,
                   g_strerror (saved_errno));
      return -1;
    }

  if (S_ISDIR (st.st_mode))
    g_set_error (&local_error, ATTN_ERROR, ATTN_ERROR_IO, _("Cannot read “%s”: it is a folder"),
                 display);
  else if (!S_ISREG (st.st_mode))
    g_set_error (&local_error, ATTN_ERROR, ATTN_ERROR_IO,
                 _("“%s” cannot be read as a regular file: it is a pipe, a socket or a device"),
                 display);
  else if (st.st_size == 0)
    {
      char byte;

      /* files under /proc say they are empty and are not */
      if (read (fd, &byte, 1) == 1)
        g_set_error (&local_error, ATTN_ERROR, ATTN_ERROR_IO,
                     _("“%s” cannot be read as a regular file: it gives no size (as files "
                       "under /proc do)"),
                     display);
    }

  if (local_error != NULL)
    {
      close (fd);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return -1;
    }

  *size = (gsize) st.st_size;
  return fd;
}

/**
 * attn_document_load:
 * @path: an export file
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an %ATTN_ERROR
 *
 * Reads @path as an attention export v1. `.npy` sidecar files are resolved in
 * the folder of @path. The document owns its data: what it validated is what
 * it holds (`.npy` files are read into memory, not mapped), so files changed
 * or deleted after loading change nothing. A file truncated while it is read
 * gives an error.
 *
 * Returns: (transfer full) (nullable): the document, or %NULL with @error set
 */
AttnDocument *
attn_document_load (const char    *path,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *base_dir = NULL;
  g_autofree char *display = NULL;
  AttnDocument *document;
  const char *contents;
  AttnFileState state;
  gsize size = 0;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  display = attn_error_display_path (path);

  fd = open_regular_file (path, display, &size, error);
  if (fd < 0)
    return NULL;
  _attn_file_state_from_fd (fd, &state);

  if (size > 0)
    {
      mapped = g_mapped_file_new_from_fd (fd, FALSE, &local_error);
      close (fd);
      if (mapped == NULL)
        {
          g_set_error (error, ATTN_ERROR, ATTN_ERROR_IO, _("Cannot read “%s”: %s"), display,
                       local_error->message);
          return NULL;
        }
      contents = g_mapped_file_get_contents (mapped);
      size = g_mapped_file_get_length (mapped);
    }
  else
    {
      close (fd);
      contents = NULL;
    }

  base_dir = g_path_get_dirname (path);
  if (contents != NULL)
    document = _attn_document_load_mapped (contents, size, path, &state, base_dir, cancellable, error);
  else
    document = load_text ("", 0, FALSE, TRUE, base_dir, cancellable, error);
  if (document != NULL)
    {
      document->path = g_strdup (path);
      _attn_document_add_file (document, path, &state, TRUE);
      _attn_document_label_examples (document);
    }

  return document;
}
