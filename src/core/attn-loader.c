/* attn-loader.c: reads attention export v1 (DESIGN.md §3): the JSON skeleton
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* How a file is read, and which part does what: see attn-loader-private.h. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "attn-document-private.h"
#include "attn-loader-private.h"

static void
object_member_cb (JsonParser *parser,
                  JsonObject *object,
                  const char *member_name,
                  gpointer    user_data)
{
  Loader *self = user_data;
  GHashTable *names;

  if (self->duplicate != NULL)
    return;

  names = g_hash_table_lookup (self->members, object);
  if (names == NULL)
    {
      names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (self->members, object, names);
    }

  if (g_hash_table_contains (names, member_name))
    {
      self->duplicate = g_strdup (member_name);
      self->duplicate_in = object;
    }
  else
    g_hash_table_add (names, g_strdup (member_name));
}

/* Appends to @path where @target sits under @node, as in
 * "examples[1].prediction"; FALSE when it is not there. */
static gboolean
find_object_path (JsonNode   *node,
                  JsonObject *target,
                  GString    *path)
{
  gsize mark = path->len;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      if (object == target)
        return TRUE;

      json_object_iter_init (&iter, object);
      while (json_object_iter_next (&iter, &name, &member))
        {
          if (path->len > 0)
            g_string_append_c (path, '.');
          g_string_append (path, name);
          if (find_object_path (member, target, path))
            return TRUE;
          g_string_truncate (path, mark);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_TYPE (element) == JSON_NODE_VALUE)
            continue;
          g_string_append_printf (path, "[%u]", i);
          if (find_object_path (element, target, path))
            return TRUE;
          g_string_truncate (path, mark);
        }
    }

  return FALSE;
}

/* ---------------------------------------------------------------------- */
/* Error helpers                                                           */

void
_attn_loader_field_error (GError      **error,
                          AttnError     code,
                          const char   *example,
                          const char   *field,
                          const char   *format,
                          ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  if (example != NULL)
    /* translators: the first %s is an example id or index, the second a field name,
     * the third what is wrong */
    g_set_error (error, ATTN_ERROR, code, _("Example “%s”, field “%s”: %s"), example, field,
                 detail);
  else
    /* translators: %s is a top-level field name, then what is wrong */
    g_set_error (error, ATTN_ERROR, code, _("Field “%s”: %s"), field, detail);
}

const char *
_attn_loader_node_kind (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return _("an object");
    case JSON_NODE_ARRAY:
      return _("an array");
    case JSON_NODE_NULL:
      return _("null");
    case JSON_NODE_VALUE:
    default:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          return _("a string");
        case G_TYPE_BOOLEAN:
          return _("a boolean");
        case G_TYPE_INT64:
        case G_TYPE_DOUBLE:
          return _("a number");
        default:
          return _("a value");
        }
    }
}

/* ---------------------------------------------------------------------- */
/* Reading values                                                          */

/* The blob a placeholder string stands for, or NULL. */
Blob *
_attn_loader_lookup_blob (Loader   *self,
                          JsonNode *node)
{
  const char *s;
  guint64 index;

  if (self->blobs->len == 0 || node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  s = json_node_get_string (node);
  if (strncmp (s, self->prefix, self->prefix_length) != 0 ||
      !g_ascii_string_to_unsigned (s + self->prefix_length, 10, 0, self->blobs->len - 1, &index,
                                   NULL))
    return NULL;

  return &g_array_index (self->blobs, Blob, index);
}

/* Reads a string node, resolving placeholders of long strings, and checks
 * that it is valid UTF-8. */
gboolean
_attn_loader_read_string_full (Loader      *self,
                               JsonNode    *node,
                               const char **out,
                               gsize       *out_length,
                               gboolean    *from_text)
{
  const char *s;
  gsize length;
  Blob *blob;

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;

  s = json_node_get_string (node);
  length = strlen (s);

  blob = _attn_loader_lookup_blob (self, node);
  if (blob != NULL)
    {
      if (blob->dense)
        return FALSE;
      *out = self->text + blob->start;
      *out_length = blob->length;
      if (from_text != NULL)
        *from_text = TRUE;
      return TRUE;
    }

  if (!g_utf8_validate_len (s, length, NULL))
    return FALSE;

  *out = s;
  *out_length = length;
  if (from_text != NULL)
    *from_text = FALSE;
  return TRUE;
}

gboolean
_attn_loader_read_string (Loader      *self,
                          JsonNode    *node,
                          const char **out,
                          gsize       *out_length)
{
  return _attn_loader_read_string_full (self, node, out, out_length, NULL);
}

/* A string member as a new nul-terminated string; absent members give
 * %NULL. Anything but a valid string is an error. */
gboolean
_attn_loader_dup_string_member (Loader      *self,
                                JsonObject  *object,
                                const char  *member,
                                const char  *example,
                                char       **out,
                                GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  const char *s;
  gsize length;

  *out = NULL;
  if (node == NULL)
    return TRUE;

  if (!_attn_loader_read_string (self, node, &s, &length) || memchr (s, '\0', length) != NULL)
    {
      _attn_loader_field_error (error, ATTN_ERROR_INVALID, example, member,
                                _("expected a valid UTF-8 string, found %s"),
                                JSON_NODE_TYPE (node) == JSON_NODE_VALUE &&
                                json_node_get_value_type (node) == G_TYPE_STRING ?
                                _("invalid UTF-8") : _attn_loader_node_kind (node));
      return FALSE;
    }

  *out = g_strndup (s, length);
  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* Examples                                                                */

static gboolean
load_tokens (Loader       *self,
             AttnExample  *example,
             JsonObject   *object,
             GError      **error)
{
  JsonNode *node = json_object_get_member (object, "tokens");
  JsonArray *array;
  guint n;

  if (node == NULL)
    {
      _attn_loader_field_error (error, ATTN_ERROR_INVALID, example->label, "tokens", _("missing"));
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      _attn_loader_field_error (error, ATTN_ERROR_INVALID, example->label, "tokens",
                                _("expected an array of strings, found %s"),
                                _attn_loader_node_kind (node));
      return FALSE;
    }

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n == 0)
    {
      _attn_loader_field_error (error, ATTN_ERROR_INVALID, example->label, "tokens",
                                _("empty: an example needs at least one token"));
      return FALSE;
    }

  example->tokens = g_new0 (char *, (gsize) n + 1);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *token = json_array_get_element (array, i);
      const char *s;
      gsize length;

      if (!_attn_loader_read_string (self, token, &s, &length) || memchr (s, '\0', length) != NULL)
        {
          _attn_loader_field_error (error, ATTN_ERROR_INVALID, example->label, "tokens",
                                    _("token %u is %s, not a valid UTF-8 string"), i,
                                    JSON_NODE_TYPE (token) == JSON_NODE_VALUE &&
                                    json_node_get_value_type (token) == G_TYPE_STRING ?
                                    _("invalid UTF-8") : _attn_loader_node_kind (token));
          return FALSE;
        }
      example->tokens[i] = g_strndup (s, length);
    }
  example->n_tokens = n;
  return TRUE;
}

static gboolean
load_attention (Loader       *self,
                AttnExample  *example,
                JsonObject   *object,
                GError      **error)
{
  JsonNode *node = json_object_get_member (object, "attention");
  Blob *blob;

  if (node == NULL)
    {
      _attn_loader_field_error (error, ATTN_ERROR_INVALID, example->label, "attention",
                                _("missing"));
      return FALSE;
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    return _attn_loader_load_nested (example, json_node_get_array (node), error);

  blob = _attn_loader_lookup_blob (self, node);
  if (blob != NULL && blob->dense && blob->values != NULL)
    return _attn_loader_load_dense (example, blob, error);

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *encoded = json_node_get_object (node);

      if (json_object_has_member (encoded, "npy"))
        return _attn_loader_load_npy (self, example, encoded, error);
      if (json_object_has_member (encoded, "base64"))
        return _attn_loader_load_base64 (self, example, encoded, error);

      _attn_loader_field_error (error, ATTN_ERROR_INVALID, example->label, "attention",
                                _("an encoded array needs “base64” (with “dtype” and “shape”) or “npy”"));
      return FALSE;
    }

  _attn_loader_field_error (error, ATTN_ERROR_INVALID, example->label, "attention",
                            _("expected nested arrays or an encoded array, found %s"),
                            _attn_loader_node_kind (node));
  return FALSE;
}

static gboolean
load_prediction (Loader       *self,
                 AttnExample  *example,
                 JsonObject   *object,
                 GError      **error)
{
  JsonNode *node = json_object_get_member (object, "prediction");
  JsonObject *prediction;
  JsonNode *candidates_node;
  JsonArray *candidates;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      _attn_loader_field_error (error, ATTN_ERROR_INVALID, example->label, "prediction",
                                _("expected an object, found %s"), _attn_loader_node_kind (node));
      return FALSE;
    }
  prediction = json_node_get_object (node);

  if (!_attn_loader_dup_string_member (self, prediction, "label", example->label,
                                       &example->prediction_label,
                                       error))
    return FALSE;

  candidates_node = json_object_get_member (prediction, "candidates");
  if (candidates_node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (candidates_node))
    {
      _attn_loader_field_error (error, ATTN_ERROR_INVALID, example->label, "prediction.candidates",
                                _("expected an array, found %s"),
                                _attn_loader_node_kind (candidates_node));
      return FALSE;
    }

  candidates = json_node_get_array (candidates_node);
  for (guint i = 0; i < json_array_get_length (candidates); i++)
    {
      JsonNode *candidate_node = json_array_get_element (candidates, i);
      JsonObject *candidate;
      JsonNode *probability;
      AttnCandidate entry = { NULL, 0. };

      if (!JSON_NODE_HOLDS_OBJECT (candidate_node))
        {
          _attn_loader_field_error (error, ATTN_ERROR_INVALID, example->label,
                                    "prediction.candidates",
                                    _("candidate %u is %s, not an object"), i,
                                    _attn_loader_node_kind (candidate_node));
          return FALSE;
        }
      candidate = json_node_get_object (candidate_node);

      probability = json_object_get_member (candidate, "probability");
      if (probability == NULL || !_attn_loader_read_number (probability, &entry.probability) ||
          !isfinite (entry.probability))
        {
          _attn_loader_field_error (error, ATTN_ERROR_INVALID, example->label,
                                    "prediction.candidates",
                                    _("candidate %u needs a finite number “probability”"), i);
          return FALSE;
        }

      if (!_attn_loader_dup_string_member (self, candidate, "label", example->label, &entry.label,
                                           error))
        return FALSE;
      if (entry.label == NULL)
        {
          _attn_loader_field_error (error, ATTN_ERROR_INVALID, example->label,
                                    "prediction.candidates",
                                    _("candidate %u has no “label”"), i);
          return FALSE;
        }
      g_array_append_val (example->candidates, entry);
    }

  return TRUE;
}

static gboolean
load_references (Loader       *self,
                 AttnExample  *example,
                 JsonObject   *object,
                 GError      **error)
{
  JsonNode *node = json_object_get_member (object, "references");
  JsonObject *references;
  g_autoptr(GList) names = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      _attn_loader_field_error (error, ATTN_ERROR_INVALID, example->label, "references",
                                _("expected an object, found %s"), _attn_loader_node_kind (node));
      return FALSE;
    }

  references = json_node_get_object (node);
  names = json_object_get_members (references); /* in file order */
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;
      g_autofree char *field = g_strdup_printf ("references.%s", name);
      JsonNode *vector_node = json_object_get_member (references, name);
      JsonArray *vector;
      AttnReference *reference;

      if (!g_utf8_validate (name, -1, NULL))
        {
          _attn_loader_field_error (error, ATTN_ERROR_INVALID, example->label, "references",
                                    _("a name is not valid UTF-8"));
          return FALSE;
        }
      if (!JSON_NODE_HOLDS_ARRAY (vector_node))
        {
          _attn_loader_field_error (error, ATTN_ERROR_INVALID, example->label, field,
                                    _("expected an array of %u numbers, found %s"),
                                    example->n_tokens, _attn_loader_node_kind (vector_node));
          return FALSE;
        }
      vector = json_node_get_array (vector_node);
      if (json_array_get_length (vector) != example->n_tokens)
        {
          _attn_loader_field_error (error, ATTN_ERROR_SHAPE, example->label, field,
                                    _("has %u entries, expected %u (one per token)"),
                                    json_array_get_length (vector), example->n_tokens);
          return FALSE;
        }

      reference = g_new0 (AttnReference, 1);
      reference->name = g_strdup (name);
      reference->values = g_new (double, example->n_tokens);
      g_ptr_array_add (example->references, reference);

      for (guint i = 0; i < example->n_tokens; i++)
        {
          JsonNode *value = json_array_get_element (vector, i);

          if (!_attn_loader_read_number (value, &reference->values[i]))
            {
              _attn_loader_field_error (error, ATTN_ERROR_INVALID, example->label, field,
                                        _("entry %u is %s, not a number"), i,
                                        _attn_loader_node_kind (value));
              return FALSE;
            }
          if (!isfinite (reference->values[i]))
            {
              _attn_loader_field_error (error, ATTN_ERROR_VALUE, example->label, field,
                                        _("entry %u is not finite"), i);
              return FALSE;
            }
        }
    }

  return TRUE;
}

static gboolean
load_focus (AttnExample  *example,
            JsonObject   *object,
            GError      **error)
{
  JsonNode *node = json_object_get_member (object, "focus");
  gint64 focus;

  example->focus = 0;
  if (node == NULL)
    return TRUE;

  if (!_attn_loader_read_integer (node, &focus))
    {
      _attn_loader_field_error (error, ATTN_ERROR_INVALID, example->label, "focus",
                                _("expected a token index, found %s"),
                                _attn_loader_node_kind (node));
      return FALSE;
    }
  if (focus < 0 || focus >= example->n_tokens)
    {
      g_autofree char *shown = g_strdup_printf ("%" G_GINT64_FORMAT, focus);
      _attn_loader_field_error (error, ATTN_ERROR_INVALID, example->label, "focus",
                                _("%s is not a token index (0 to %u)"), shown,
                                example->n_tokens - 1);
      return FALSE;
    }

  example->focus = (guint) focus;
  return TRUE;
}

static AttnExample *
load_example (Loader      *self,
              JsonNode    *node,
              guint        index,
              GError     **error)
{
  g_autoptr(AttnExample) example = _attn_example_new ();
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *index_label = g_strdup_printf ("%u", index);
  JsonObject *object;

  example->index = index;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_INVALID,
                   _("Example “%u” is %s, not an object"), index,
                   _attn_loader_node_kind (node));
      return NULL;
    }
  object = json_node_get_object (node);

  if (!_attn_loader_dup_string_member (self, object, "id", index_label, &example->id, error))
    return NULL;
  example->label = g_strdup (example->id != NULL ? example->id : index_label);

  if (!_attn_loader_dup_string_member (self, object, "text", example->label, &example->text,
                                       error) ||
      !_attn_loader_dup_string_member (self, object, "model", example->label, &example->model,
                                       error) ||
      !load_tokens (self, example, object, error) ||
      !load_focus (example, object, error) ||
      !load_prediction (self, example, object, error) ||
      !load_references (self, example, object, error) ||
      !load_attention (self, example, object, error))
    return NULL;

  if (g_cancellable_set_error_if_cancelled (self->cancellable, error))
    return NULL;

  if (!_attn_example_validate (example, warnings, error))
    return NULL;

  for (guint i = 0; i < warnings->len; i++)
    g_ptr_array_add (self->renormalised, g_strdup (g_ptr_array_index (warnings, i)));

  return g_steal_pointer (&example);
}

static gboolean
check_format (Loader      *self,
              JsonObject  *root,
              GError     **error)
{
  JsonNode *format = json_object_get_member (root, "format");
  JsonNode *version = json_object_get_member (root, "version");
  const char *s;
  gsize length;
  gint64 v;

  if (format == NULL)
    {
      _attn_loader_field_error (error, ATTN_ERROR_INVALID, NULL, "format",
                                _("missing (expected \"attnflow\" next to “examples”)"));
      return FALSE;
    }
  if (!_attn_loader_read_string (self, format, &s, &length) || length != strlen ("attnflow") ||
      memcmp (s, "attnflow", length) != 0)
    {
      g_autofree char *shown = NULL;

      if (_attn_loader_read_string (self, format, &s, &length))
        shown = g_strdup_printf ("“%.*s”", (int) MIN (length, 64), s);
      _attn_loader_field_error (error, ATTN_ERROR_UNSUPPORTED, NULL, "format",
                                _("unknown format %s (expected \"attnflow\")"),
                                shown != NULL ? shown : _attn_loader_node_kind (format));
      return FALSE;
    }

  if (version == NULL)
    {
      _attn_loader_field_error (error, ATTN_ERROR_INVALID, NULL, "version",
                                _("missing (expected 1)"));
      return FALSE;
    }
  if (!_attn_loader_read_integer (version, &v))
    {
      _attn_loader_field_error (error, ATTN_ERROR_INVALID, NULL, "version",
                                _("expected 1, found %s"),
                                _attn_loader_node_kind (version));
      return FALSE;
    }
  if (v != 1)
    {
      g_autofree char *shown = g_strdup_printf ("%" G_GINT64_FORMAT, v);
      _attn_loader_field_error (error, ATTN_ERROR_UNSUPPORTED, NULL, "version",
                                _("version %s is not supported (this program reads version 1)"),
                                shown);
      return FALSE;
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
                   root ? _attn_loader_node_kind (root) : _("empty"));
      return FALSE;
    }
  object = json_node_get_object (root);
  examples_node = json_object_get_member (object, "examples");

  if (examples_node != NULL || json_object_has_member (object, "format") ||
      json_object_has_member (object, "version"))
    {
      if (!check_format (self, object, error))
        return FALSE;
      if (!_attn_loader_dup_string_member (self, object, "model", NULL, &document->model, error))
        return FALSE;
    }

  if (examples_node != NULL)
    {
      JsonArray *examples;

      if (!JSON_NODE_HOLDS_ARRAY (examples_node))
        {
          _attn_loader_field_error (error, ATTN_ERROR_INVALID, NULL, "examples",
                                    _("expected an array of examples, found %s"),
                                    _attn_loader_node_kind (examples_node));
          return FALSE;
        }
      examples = json_node_get_array (examples_node);
      if (json_array_get_length (examples) == 0)
        {
          _attn_loader_field_error (error, ATTN_ERROR_INVALID, NULL, "examples",
                                    _("empty: the file holds no example"));
          return FALSE;
        }

      for (guint i = 0; i < json_array_get_length (examples); i++)
        {
          AttnExample *example;

          if (g_cancellable_set_error_if_cancelled (self->cancellable, error))
            return FALSE;
          example = load_example (self, json_array_get_element (examples, i), i, error);
          if (example == NULL)
            return FALSE;
          g_ptr_array_add (document->examples, example);
        }
    }
  else
    {
      AttnExample *example = load_example (self, root, 0, error);

      if (example == NULL)
        return FALSE;
      g_ptr_array_add (document->examples, example);
      if (document->model == NULL && example->model != NULL)
        document->model = g_strdup (example->model);
    }

  /* One warning per file for renormalised rows (DESIGN §3). */
  if (self->renormalised->len == 1)
    g_ptr_array_add (document->warnings, g_strdup (g_ptr_array_index (self->renormalised, 0)));
  else if (self->renormalised->len > 1)
    g_ptr_array_add (document->warnings,
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "%s; %u more example was renormalised too",
                                                   "%s; %u more examples were renormalised too",
                                                   self->renormalised->len - 1),
                                      (const char *) g_ptr_array_index (self->renormalised, 0),
                                      self->renormalised->len - 1));

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
  g_autoptr(AttnDocument) document = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) parse_error = NULL;
  GString *skeleton = NULL;
  const char *parse_text;
  gsize parse_length;
  const char *invalid;
  gboolean all_space = TRUE;
  gboolean ok = FALSE;

  for (gsize i = 0; i < length && all_space; i++)
    all_space = _attn_loader_is_json_space (text[i]);
  if (all_space)
    {
      g_set_error_literal (error, ATTN_ERROR, ATTN_ERROR_PARSE,
                           _("The file is empty: expected a JSON object"));
      return NULL;
    }

  self.text = text;
  self.length = length;
  self.mapped = mapped;
  self.base_dir = base_dir;
  self.cancellable = cancellable;
  self.blobs = g_array_new (FALSE, TRUE, sizeof (Blob));
  g_array_set_clear_func (self.blobs, _attn_loader_blob_clear);
  self.dense_arrays = dense_arrays;
  self.members = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                        (GDestroyNotify) g_hash_table_unref);
  self.renormalised = g_ptr_array_new_with_free_func (g_free);
  self.prefix_length = (gsize) g_snprintf (self.prefix, sizeof self.prefix,
                                           "attnflow-blob:%08x%08x%08x:",
                                           g_random_int (), g_random_int (), g_random_int ());

  if (!_attn_loader_scan_text (&self, &skeleton, error))
    goto out;

  parse_text = skeleton ? skeleton->str : text;
  parse_length = skeleton ? skeleton->len : length;

  if (!g_utf8_validate_len (parse_text, parse_length, &invalid))
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_PARSE,
                   _("Line %u: the file is not valid UTF-8 (or holds a NUL byte)"),
                   _attn_loader_line_of (parse_text, (gsize) (invalid - parse_text)));
      goto out;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;

  parser = json_parser_new ();
  g_signal_connect (parser, "object-member", G_CALLBACK (object_member_cb), &self);
  if (!json_parser_load_from_data (parser, parse_text, (gssize) parse_length, &parse_error))
    {
      /* json-glib quotes the offending token, which may be invalid UTF-8 */
      g_autofree char *message = g_utf8_make_valid (parse_error->message, -1);

      g_set_error (error, ATTN_ERROR, ATTN_ERROR_PARSE, _("The file is not valid JSON: %s"),
                   message);
      goto out;
    }
  if (skeleton != NULL)
    {
      /* json-glib copied what it needs */
      g_string_free (skeleton, TRUE);
      skeleton = NULL;
    }

  if (self.duplicate != NULL)
    {
      g_autoptr(GString) path = g_string_new (NULL);

      if (!find_object_path (json_parser_get_root (parser), self.duplicate_in, path) ||
          path->len == 0)
        g_set_error (error, ATTN_ERROR, ATTN_ERROR_INVALID,
                     _("The key “%s” appears twice in the top-level object"), self.duplicate);
      else
        g_set_error (error, ATTN_ERROR, ATTN_ERROR_INVALID,
                     /* translators: the second %s is where the object is, such as
                      * examples[1].prediction */
                     _("The key “%s” appears twice in the object at %s"), self.duplicate,
                     path->str);
      goto out;
    }
  g_clear_pointer (&self.members, g_hash_table_unref);

  document = _attn_document_new ();
  ok = load_root (&self, json_parser_get_root (parser), document, error);

out:
  if (skeleton != NULL)
    g_string_free (skeleton, TRUE);
  g_array_unref (self.blobs);
  g_clear_pointer (&self.members, g_hash_table_unref);
  g_free (self.duplicate);
  g_ptr_array_unref (self.renormalised);

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
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return load_text (data ? data : "", length, FALSE, dense_arrays, base_dir, cancellable, error);
}

/**
 * attn_document_load_from_data:
 * @data: (array length=length): the export's text (need not be nul-terminated)
 * @length: bytes in @data
 * @base_dir: (nullable): the folder `.npy` paths are resolved in; %NULL refuses them
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an %ATTN_ERROR
 *
 * Reads an attention export v1 (DESIGN.md §3) from memory and validates it.
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

/**
 * attn_document_load:
 * @path: an export file
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an %ATTN_ERROR
 *
 * Maps @path and reads it as an attention export v1. `.npy` sidecar files are
 * resolved in the folder of @path and stay mapped.
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
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  display = g_filename_display_name (path);

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_IO, _("Cannot read “%s”: it is a folder"),
                   display);
      return NULL;
    }

  /* a FIFO or a device would block or never end */
  if (g_file_test (path, G_FILE_TEST_EXISTS) && !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_IO,
                   _("Cannot read “%s”: it is not a regular file"), display);
      return NULL;
    }

  mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped == NULL)
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_IO, _("Cannot read “%s”: %s"), display,
                   local_error->message);
      return NULL;
    }

  contents = g_mapped_file_get_contents (mapped);
  length = g_mapped_file_get_length (mapped);
  base_dir = g_path_get_dirname (path);

  document = load_text (contents ? contents : "", contents ? length : 0, contents != NULL, TRUE,
                        base_dir, cancellable, error);
  if (document != NULL)
    document->path = g_strdup (path);

  return document;
}
