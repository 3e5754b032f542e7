/* attn-loader-stream.c: work done while json-glib parses the skeleton
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * json-glib 1.6 builds the whole tree before it returns, at ~1 KB for a small
 * example object and ~100 bytes a value. Its parser signals let the loader
 * do two things as the tree grows:
 *
 *  - find duplicate keys: an object whose size did not grow when a member was
 *    added holds that name twice (the last value silently won). Where it is
 *    ("examples[1].prediction") is collected from the signals that follow, as
 *    each enclosing value completes, so it costs nothing until it happens.
 *  - stream the arrays and objects the scan marked: each element of
 *    `examples` becomes an AttnExample, each element of a `candidates` array
 *    an AttnCandidate, and each member of a `references` object an
 *    AttnReference, as soon as json-glib has parsed it; it is then dropped
 *    from the tree, and the skeleton's pages behind the parser are released.
 *    A dropped member of `references` no longer shows as a duplicate in its
 *    object's size: the names are compared when the object ends.
 *
 * The signals come in a fixed order for each value: object-start, then one
 * object-member per member after its value is complete, then object-end;
 * array-start, array-element per element, array-end. A stack of frames, one
 * per open object or array, follows them.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "attn-loader-private.h"

PendingCandidates *
_attn_loader_pending_new (void)
{
  PendingCandidates *pending = g_new0 (PendingCandidates, 1);

  pending->candidates = _attn_candidates_new ();
  return pending;
}

void
_attn_loader_pending_free (gpointer data)
{
  PendingCandidates *pending = data;

  g_array_unref (pending->candidates);
  g_free (pending->detail);
  g_free (pending);
}

static PendingReferences *
pending_references_new (void)
{
  PendingReferences *pending = g_new0 (PendingReferences, 1);

  pending->references = g_ptr_array_new_with_free_func (g_free);
  return pending;
}

void
_attn_loader_pending_references_free (gpointer data)
{
  PendingReferences *pending = data;

  g_ptr_array_unref (pending->references);
  g_free (pending);
}

static Frame *
top_frame (Loader *self)
{
  g_assert (self->frames->len > 0);
  return &g_array_index (self->frames, Frame, self->frames->len - 1);
}

static void
push_frame (Loader   *self,
            gboolean  is_object,
            KeyKind   kind)
{
  Frame frame = { kind, is_object, 0, NULL, NULL };

  g_array_append_val (self->frames, frame);
}

/* Stops the parse early (cancelled, or the file changed): json-glib reads a
 * NUL byte as the end of its input, so one written into the skeleton ahead of
 * the parser ends it there with an error the loader then ignores. */
static void
stop_parser (Loader *self)
{
  SkeletonText *sk = &self->skeleton;
  gsize offset = _attn_loader_skeleton_offset (self, json_parser_get_current_line (self->parser),
                                               json_parser_get_current_pos (self->parser));

  /* past the token json-glib may have peeked at */
  if (offset < sk->length && sk->length - offset > 8192)
    sk->data[offset + 8192] = '\0';
}

static gboolean
stopped (Loader *self)
{
  if (self->fatal == NULL && g_cancellable_set_error_if_cancelled (self->cancellable, &self->fatal))
    stop_parser (self);
  return self->fatal != NULL;
}

/* ---------------------------------------------------------------------- */
/* Where a duplicate key is                                                */

/* Called as a value at depth @depth (1: the root) completes as @component of
 * its parent: adds it to the duplicate's path when the duplicate is inside. */
static void
duplicate_climb (Loader     *self,
                 guint       depth,
                 const char *member,
                 guint       index)
{
  if (self->duplicate == NULL || self->duplicate_depth != depth + 1)
    return;

  if (member != NULL)
    g_ptr_array_add (self->duplicate_path, g_strdup (member));
  else
    g_ptr_array_add (self->duplicate_path, g_strdup_printf ("[%u]", index));
  self->duplicate_depth = depth;
}

/* @name with the scan's NUL markers shown as \u0000, as messages quote a
 * file's text (attn_error_quote_text()). */
static char *
show_key (Loader     *self,
          const char *name)
{
  g_autoptr(GString) shown = g_string_new (name);
  g_autofree char *marker = g_strconcat (self->prefix, "nul", NULL);

  g_string_replace (shown, marker, "\\u0000", 0);
  return attn_error_quote_text (shown->str);
}

/* The example at @index, @element (of the streamed examples array, or the
 * top-level object of a file of one example), holds the duplicate, @outer
 * components of its path being outside it: keeps how the message names it
 * (a streamed element leaves the tree once read). An "id" given twice in
 * it names it by its index alone (which of the two is its id?). */
static void
duplicate_in_example (Loader   *self,
                      JsonNode *element,
                      guint     index,
                      guint     outer)
{
  JsonObject *example = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
  const char *id = NULL;
  gsize length;

  if (self->duplicate_path->len == outer && strcmp (self->duplicate, "id") == 0)
    {
      self->duplicate_example = g_strdup_printf ("%u", index);
      return;
    }
  if (example != NULL && json_object_has_member (example, "id") &&
      (!_attn_loader_read_string (self, json_object_get_member (example, "id"), &id, &length) ||
       _attn_loader_has_nul (self, id, length)))
    id = NULL;
  self->duplicate_example = attn_error_example_name (id, index);
}

/* The message for the first duplicate key (or key holding a NUL), or NULL
 * when there is none. Inside an example (an element of "examples", or the
 * top-level object of a file of one example), it names the example as the
 * loader's other messages do, and where the object is within it. */
char *
_attn_loader_duplicate_message (Loader *self)
{
  g_autoptr(GString) path = g_string_new (NULL);
  g_autofree char *key = NULL;
  JsonNode *root = json_parser_get_root (self->parser);
  const char *example;
  guint outer = self->duplicate_path->len;

  if (self->duplicate == NULL)
    return NULL;

  /* innermost first: "[0]", "candidates", "prediction", "[1]", "examples";
   * the example is named, not its place in "examples" */
  if (self->duplicate_example != NULL && outer >= 2)
    outer -= 2;
  /* a file of one example (load_root() reads the top-level object as one) */
  else if (self->duplicate_example == NULL && root != NULL && JSON_NODE_HOLDS_OBJECT (root) &&
           !json_object_has_member (json_node_get_object (root), "examples"))
    duplicate_in_example (self, root, 0, 0);
  example = self->duplicate_example;
  for (guint i = outer; i-- > 0;)
    {
      g_autofree char *component = attn_error_quote_text (g_ptr_array_index (self->duplicate_path, i));

      if (path->len > 0 && component[0] != '[')
        g_string_append_c (path, '.');
      g_string_append (path, component);
    }

  key = show_key (self, self->duplicate);
  if (example != NULL && self->duplicate_nul)
    return path->len == 0
      ? g_strdup_printf (/* translators: an example as “cat-mat” (its id) or 3 (no id), a key */
                         _("Example %s: the key “%s” holds a NUL character (\\u0000)"),
                         example, key)
      : g_strdup_printf (/* translators: an example, a key, and where the object is in the
                          * example, such as prediction.candidates[0] */
                         _("Example %s: the key “%s” in the object at %s holds a NUL "
                           "character (\\u0000)"), example, key, path->str);
  if (example != NULL)
    return path->len == 0
      ? g_strdup_printf (/* translators: an example as “cat-mat” (its id) or 3 (no id), a key */
                         _("Example %s: the key “%s” appears twice"), example, key)
      : g_strdup_printf (/* translators: an example, a key, and where the object is in the
                          * example, such as prediction.candidates[0] */
                         _("Example %s: the key “%s” appears twice in the object at %s"),
                         example, key, path->str);
  if (self->duplicate_nul)
    {
      if (path->len == 0)
        return g_strdup_printf (_("The key “%s” in the top-level object holds a NUL character "
                                  "(\\u0000)"), key);
      return g_strdup_printf (/* translators: the second %s is where the object is, such as
                               * prediction.candidates[0] */
                              _("The key “%s” in the object at %s holds a NUL character "
                                "(\\u0000)"), key, path->str);
    }
  if (path->len == 0)
    return g_strdup_printf (_("The key “%s” appears twice in the top-level object"), key);
  return g_strdup_printf (/* translators: the second %s is where the object is, such as
                           * prediction.candidates[0] */
                          _("The key “%s” appears twice in the object at %s"), key, path->str);
}

/* ---------------------------------------------------------------------- */
/* Signals                                                                 */

/* Whether the container json-glib starts now is the next one the scan
 * marked (and of the kind it expects there); counts it either way. */
static KeyKind
next_container (Loader   *self,
                gboolean  is_object)
{
  StreamedArray *next;
  Frame *parent;

  self->n_containers++;
  if (self->next_streamed >= self->streamed->len)
    return KEY_OTHER;
  next = &g_array_index (self->streamed, StreamedArray, self->next_streamed);
  if (next->ordinal != self->n_containers)
    return KEY_OTHER;

  self->next_streamed++;
  parent = self->frames->len > 0 ? top_frame (self) : NULL;
  /* the scan and json-glib agree on what is where; check anyway */
  if (parent == NULL || !parent->is_object)
    return KEY_OTHER;
  if (is_object)
    return next->kind == KEY_REFERENCES ? KEY_REFERENCES : KEY_OTHER;
  if (next->kind == KEY_CANDIDATES || (next->kind == KEY_EXAMPLES && self->frames->len == 1))
    return next->kind;
  return KEY_OTHER;
}

static void
object_start_cb (JsonParser *parser,
                 gpointer    user_data)
{
  Loader *self = user_data;
  KeyKind kind = next_container (self, TRUE);

  push_frame (self, TRUE, kind);
  if (kind == KEY_REFERENCES)
    top_frame (self)->references = pending_references_new ();
}

/* Orders indices into a PendingReferences' array by name, then by index. */
static int
compare_names (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  AttnReference **references = user_data;
  guint ia = *(const guint *) a, ib = *(const guint *) b;
  int order = strcmp (_attn_reference_name (references[ia]), _attn_reference_name (references[ib]));

  return order != 0 ? order : ia < ib ? -1 : ia > ib;
}

/* A references object ends: the name given twice among the members
 * streamed out of it (the one whose second time comes first), or given again
 * by a member that stayed in @object, or NULL. */
static const char *
streamed_duplicate (PendingReferences *pending,
                    JsonObject        *object)
{
  AttnReference **references = (AttnReference **) pending->references->pdata;
  guint n = pending->references->len;
  g_autofree guint *sorted = NULL;
  g_autoptr(GList) names = NULL;
  guint found = G_MAXUINT;

  if (n == 0)
    return NULL;

  sorted = g_new (guint, n);
  for (guint i = 0; i < n; i++)
    sorted[i] = i;
  g_qsort_with_data (sorted, (gint) n, sizeof (guint), compare_names, references);
  for (guint i = 1; i < n; i++)
    if (strcmp (_attn_reference_name (references[sorted[i - 1]]),
                _attn_reference_name (references[sorted[i]])) == 0)
      found = MIN (found, sorted[i]);
  if (found != G_MAXUINT)
    return _attn_reference_name (references[found]);

  /* the members that stayed all come after the streamed ones */
  names = json_object_get_members (object);
  for (GList *l = names; l != NULL; l = l->next)
    {
      guint lo = 0, hi = n;

      while (lo < hi)
        {
          guint mid = lo + (hi - lo) / 2;
          int order = strcmp (_attn_reference_name (references[sorted[mid]]), l->data);

          if (order == 0)
            return l->data;
          if (order < 0)
            lo = mid + 1;
          else
            hi = mid;
        }
    }
  return NULL;
}

static void
object_member_cb (JsonParser *parser,
                  JsonObject *object,
                  const char *member_name,
                  gpointer    user_data)
{
  Loader *self = user_data;
  Frame *frame = top_frame (self);

  duplicate_climb (self, self->frames->len, member_name, 0);

  frame->members++;
  if (self->duplicate == NULL &&
      (json_object_get_size (object) != frame->members ||
       _attn_loader_has_nul (self, member_name, strlen (member_name))))
    {
      self->duplicate = g_strdup (member_name);
      self->duplicate_depth = self->frames->len;
      self->duplicate_nul = json_object_get_size (object) == frame->members;
    }

  if (frame->references != NULL && !frame->references->stopped && !stopped (self))
    {
      if (!_attn_loader_stream_reference (self, member_name,
                                          json_object_get_member (object, member_name),
                                          frame->references))
        frame->references->stopped = TRUE;
      else
        {
          json_object_remove_member (object, member_name);
          frame->members--;
          _attn_loader_skeleton_release (self, json_parser_get_current_line (parser),
                                         json_parser_get_current_pos (parser));
        }
    }
}

static void
end_cb (JsonParser *parser,
        gpointer    object_or_array,
        gpointer    user_data)
{
  Loader *self = user_data;
  Frame *frame = top_frame (self);

  if (frame->pending != NULL)
    g_hash_table_insert (self->pending, object_or_array, g_steal_pointer (&frame->pending));
  if (frame->references != NULL)
    {
      const char *duplicate;

      if (self->duplicate == NULL &&
          (duplicate = streamed_duplicate (frame->references, object_or_array)) != NULL)
        {
          /* as object_member_cb() would have said when it came */
          self->duplicate = g_strdup (duplicate);
          self->duplicate_depth = self->frames->len;
          self->duplicate_nul = FALSE;
        }
      g_hash_table_insert (self->pending_references, object_or_array,
                           g_steal_pointer (&frame->references));
    }
  g_array_set_size (self->frames, self->frames->len - 1);
}

static void
array_start_cb (JsonParser *parser,
                gpointer    user_data)
{
  Loader *self = user_data;
  KeyKind kind = next_container (self, FALSE);

  push_frame (self, FALSE, kind);

  if (kind == KEY_CANDIDATES)
    top_frame (self)->pending = _attn_loader_pending_new ();
  else if (kind == KEY_EXAMPLES)
    self->examples_streamed = TRUE;
}

static void
stream_example (Loader    *self,
                JsonNode  *element,
                guint      index)
{
  g_autoptr(GError) error = NULL;
  AttnExample *example;

  self->n_examples = index + 1;
  if (stopped (self) || self->duplicate != NULL || self->example_error != NULL)
    return;

  example = _attn_loader_load_example (self, element, index, &error);
  if (example != NULL)
    g_ptr_array_add (self->document->examples, example);
  else if (self->fatal != NULL)
    stop_parser (self);
  else
    self->example_error = g_steal_pointer (&error);

  /* the candidates arrays and references objects of this example are done with */
  g_hash_table_remove_all (self->pending);
  g_hash_table_remove_all (self->pending_references);
}

static void
array_element_cb (JsonParser *parser,
                  JsonArray  *array,
                  int         index,
                  gpointer    user_data)
{
  Loader *self = user_data;
  Frame *frame = top_frame (self);
  guint last = json_array_get_length (array) - 1;

  duplicate_climb (self, self->frames->len, NULL, (guint) index);

  if (frame->kind == KEY_EXAMPLES && self->duplicate != NULL && self->duplicate_example == NULL &&
      self->duplicate_depth == self->frames->len)
    duplicate_in_example (self, json_array_get_element (array, last), (guint) index, 1);
  if (frame->kind == KEY_EXAMPLES)
    stream_example (self, json_array_get_element (array, last), (guint) index);
  else if (frame->kind == KEY_CANDIDATES)
    {
      if (!stopped (self))
        _attn_loader_read_candidates (self, array, last, frame->pending);
    }
  else
    return;

  json_array_remove_element (array, last);
  _attn_loader_skeleton_release (self, json_parser_get_current_line (parser),
                                 json_parser_get_current_pos (parser));
}

/* Connects the loader to its parser's signals. */
void
_attn_loader_stream_connect (Loader *self)
{
  self->frames = g_array_new (FALSE, FALSE, sizeof (Frame));
  self->duplicate_path = g_ptr_array_new_with_free_func (g_free);
  self->pending = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                         _attn_loader_pending_free);
  self->pending_references = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                                    _attn_loader_pending_references_free);

  g_signal_connect (self->parser, "object-start", G_CALLBACK (object_start_cb), self);
  g_signal_connect (self->parser, "object-member", G_CALLBACK (object_member_cb), self);
  g_signal_connect (self->parser, "object-end", G_CALLBACK (end_cb), self);
  g_signal_connect (self->parser, "array-start", G_CALLBACK (array_start_cb), self);
  g_signal_connect (self->parser, "array-element", G_CALLBACK (array_element_cb), self);
  g_signal_connect (self->parser, "array-end", G_CALLBACK (end_cb), self);
}

void
_attn_loader_stream_clear (Loader *self)
{
  if (self->frames != NULL)
    {
      /* a failed parse leaves frames open */
      for (guint i = 0; i < self->frames->len; i++)
        {
          Frame *frame = &g_array_index (self->frames, Frame, i);

          g_clear_pointer (&frame->pending, _attn_loader_pending_free);
          g_clear_pointer (&frame->references, _attn_loader_pending_references_free);
        }
      g_clear_pointer (&self->frames, g_array_unref);
    }
  g_clear_pointer (&self->duplicate_path, g_ptr_array_unref);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->pending_references, g_hash_table_unref);
  g_clear_pointer (&self->duplicate, g_free);
  g_clear_pointer (&self->duplicate_example, g_free);
  g_clear_error (&self->example_error);
}

/* The candidates read while @array was parsed (transfer full), or NULL. */
PendingCandidates *
_attn_loader_take_candidates (Loader    *self,
                              JsonArray *array)
{
  PendingCandidates *pending = NULL;

  g_hash_table_steal_extended (self->pending, array, NULL, (gpointer *) &pending);
  return pending;
}

/* The references read while @object was parsed (transfer full), or NULL. */
PendingReferences *
_attn_loader_take_references (Loader     *self,
                              JsonObject *object)
{
  PendingReferences *pending = NULL;

  g_hash_table_steal_extended (self->pending_references, object, NULL, (gpointer *) &pending);
  return pending;
}
