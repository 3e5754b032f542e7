/* attn-document.c: an open export: its examples, warnings and files (and whether they
 * changed since), and the examples that make minimal pairs
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "attn-document-private.h"
#include "attn-error.h"
#include "attn-example-search.h"
#include "attn-example-private.h"
#include "attn-refcount.h"
#include "attn-task.h"

G_DEFINE_BOXED_TYPE (AttnDocument, attn_document, attn_document_ref, attn_document_unref)

AttnDocument *
_attn_document_new (void)
{
  AttnDocument *self = g_new0 (AttnDocument, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->examples = g_ptr_array_new_with_free_func ((GDestroyNotify) attn_example_unref);
  self->warnings = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  self->files = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  self->file_states = g_array_new (FALSE, TRUE, sizeof (AttnFileState));

  return self;
}

static void
document_free (AttnDocument *self)
{
  g_free (self->path);
  g_free (self->model);
  g_ptr_array_unref (self->examples);
  g_ptr_array_unref (self->warnings);
  g_ptr_array_unref (self->files);
  g_array_unref (self->file_states);
  g_free (self);
}

ATTN_DEFINE_REFS (AttnDocument, attn_document, document_free)

static void
load_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(GError) error = NULL;
  AttnDocument *document;

  document = attn_document_load (path, cancellable, &error);
  if (document == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, document, (GDestroyNotify) attn_document_unref);
}

/**
 * attn_document_load_async:
 * @path: the export's path
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's thread-default main context
 * @user_data: closure
 *
 * Runs attn_document_load() on a worker thread.
 */
void
attn_document_load_async (const char          *path,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (path != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  attn_task_run_in_thread (attn_document_load_async, g_strdup (path), g_free, load_worker,
                           cancellable, callback, user_data);
}

/**
 * attn_document_load_finish:
 *
 * Returns: (transfer full) (nullable): the document, or %NULL with @error set
 */
AttnDocument *
attn_document_load_finish (GAsyncResult  *result,
                           GError       **error)
{
  return attn_task_propagate_pointer (result, attn_document_load_async, error);
}

/**
 * attn_document_get_display_name:
 *
 * Returns: (transfer full): the file's name for messages, escaped
 *   (attn_error_display_path()), or "-" for a document loaded from memory
 */
char *
attn_document_get_display_name (const AttnDocument *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->path ? attn_error_display_path (self->path) : g_strdup ("-");
}

/**
 * attn_document_get_path:
 *
 * Returns: (nullable): the file the document was loaded from
 */
const char *
attn_document_get_path (const AttnDocument *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->path;
}

/**
 * attn_document_names_distinct:
 * @documents: (element-type AttnDocument): documents
 *
 * Short names that tell their files apart, attn_file_names_distinct() of
 * their paths: the base name, and where two files share it, the folders
 * that tell them apart ("a/sst2.json" and "b/sst2.json"); "-" for a
 * document loaded from memory.
 *
 * Returns: (transfer full) (array zero-terminated=1): one name per document
 */
char **
attn_document_names_distinct (GPtrArray *documents)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new ();

  g_return_val_if_fail (documents != NULL, NULL);

  for (guint i = 0; i < documents->len; i++)
    {
      const char *path = attn_document_get_path (g_ptr_array_index (documents, i));

      g_ptr_array_add (paths, (gpointer) (path != NULL ? path : "-"));
    }
  g_ptr_array_add (paths, NULL);
  return attn_file_names_distinct ((const char * const *) paths->pdata);
}

/* Sets the model and file name of the document @self came from (both
 * GRefStrings or %NULL, acquired). Here, beside the one caller that labels
 * a document's examples (attn-example.c is at its size limit). */
void
_attn_example_set_file (AttnExample *self,
                        const char  *model,
                        const char  *name)
{
  /* the new ones first: they may be the ones held */
  char *new_model = model != NULL ? g_ref_string_acquire ((char *) model) : NULL;
  char *new_name = name != NULL ? g_ref_string_acquire ((char *) name) : NULL;

  g_clear_pointer (&self->file_model, g_ref_string_release);
  g_clear_pointer (&self->file_name, g_ref_string_release);
  self->file_model = new_model;
  self->file_name = new_name;
}

/**
 * attn_example_get_file_name:
 * @self: an example
 *
 * Returns: (nullable): the base name of the file it was read from; %NULL
 *   for an example read from memory or built from values
 */
const char *
attn_example_get_file_name (const AttnExample *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->file_name;
}

/* Gives every example the document's model and file name (once its path
 * is known), shared: what figures of it name. */
void
_attn_document_label_examples (AttnDocument *self)
{
  g_autoptr(GRefString) model = self->model != NULL ? g_ref_string_new (self->model) : NULL;
  g_autofree char *base = self->path != NULL ? g_path_get_basename (self->path) : NULL;
  g_autofree char *display = base != NULL ? g_filename_display_name (base) : NULL;
  g_autoptr(GRefString) name = display != NULL ? g_ref_string_new (display) : NULL;

  for (guint i = 0; i < self->examples->len; i++)
    _attn_example_set_file (g_ptr_array_index (self->examples, i), model, name);
}

/**
 * attn_document_get_model:
 *
 * Returns: (nullable): the top-level `model` label
 */
const char *
attn_document_get_model (const AttnDocument *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->model;
}

guint
attn_document_get_n_examples (const AttnDocument *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->examples->len;
}

/**
 * attn_document_get_example:
 *
 * Returns: (transfer none): example @index
 */
AttnExample *
attn_document_get_example (const AttnDocument *self,
                           guint               index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->examples->len, NULL);
  return g_ptr_array_index (self->examples, index);
}

/**
 * attn_document_has_references:
 *
 * Returns: whether some example of @self carries `references`
 */
gboolean
attn_document_has_references (const AttnDocument *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  for (guint i = 0; i < self->examples->len; i++)
    if (attn_example_get_n_references (g_ptr_array_index (self->examples, i)) > 0)
      return TRUE;
  return FALSE;
}

/**
 * attn_document_find_example:
 * @id_or_index: an example's `id`, or else its 0-based index
 *
 * Returns: (transfer none) (nullable): the example, or %NULL with @error set
 */
AttnExample *
attn_document_find_example (const AttnDocument  *self,
                            const char          *id_or_index,
                            GError             **error)
{
  g_autofree char *asked = NULL;
  guint64 index;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (id_or_index != NULL, NULL);

  for (guint i = 0; i < self->examples->len; i++)
    {
      AttnExample *example = g_ptr_array_index (self->examples, i);
      if (example->id != NULL && g_str_equal (example->id, id_or_index))
        return example;
    }

  if (g_ascii_string_to_unsigned (id_or_index, 10, 0, G_MAXUINT, &index, NULL) &&
      index < self->examples->len)
    return g_ptr_array_index (self->examples, index);

  asked = attn_error_quote_text (id_or_index);
  if (self->examples->len == 1)
    {
      const AttnExample *only = g_ptr_array_index (self->examples, 0);
      g_autofree char *only_id = only->id != NULL ? attn_error_quote_text (only->id) : NULL;

      if (only_id != NULL)
        g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                     /* translators: the first %s is what the user asked for, the second
                      * the id of the file's one example */
                     _("No example “%s”: the file has one example, “%s” (index 0)"),
                     asked, only_id);
      else
        g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                     _("No example “%s”: the file has one example, without an id (index 0)"),
                     asked);
      return NULL;
    }
  g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
               _("No example “%s”: the file has %u examples (ids or indices 0 to %u)"),
               asked, self->examples->len, self->examples->len - 1);
  return NULL;
}

/* The strings of a null-terminated @array, as a NULL-terminated vector: an
 * empty array may not have allocated its terminating NULL yet */
static const char * const *
strings_of (GPtrArray *array)
{
  static const char * const none[] = { NULL };

  if (array->pdata == NULL)
    return none;
  return (const char * const *) array->pdata;
}

/**
 * attn_document_get_files:
 *
 * The files the document was read from: the export (when it was read from a
 * file), then each `.npy` file it named, by its real path. The document owns
 * what it read: these are for noticing that a file changed (and offering to
 * reload it), not for reading it again.
 *
 * Returns: (array zero-terminated=1) (transfer none): the paths
 */
const char * const *
attn_document_get_files (const AttnDocument *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return strings_of (self->files);
}

static void
file_state_from_stat (const GStatBuf *st,
                      AttnFileState  *state)
{
  memset (state, 0, sizeof *state);
  state->size = st->st_size;
  state->mtime_ns = (gint64) st->st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) +
                    st->st_mtim.tv_nsec;
  state->inode = st->st_ino;
  state->device = st->st_dev;
}

/* Whether the file at @path differs from @then: another size or
 * modification time, another file, or none */
gboolean
_attn_file_state_changed (const char          *path,
                          const AttnFileState *then)
{
  AttnFileState now;
  GStatBuf st;

  memset (&now, 0, sizeof now);
  if (g_stat (path, &st) == 0)
    file_state_from_stat (&st, &now);
  return memcmp (&now, then, sizeof now) != 0;
}

/* What the file open at @fd is now (for the loader, which reads from it). */
void
_attn_file_state_from_fd (int            fd,
                          AttnFileState *state)
{
  GStatBuf st;

  memset (state, 0, sizeof *state);
  if (fstat (fd, &st) == 0)
    file_state_from_stat (&st, state);
}

/* Records that the document was read from @path, as it was in @state
 * (first: the export itself). */
void
_attn_document_add_file (AttnDocument        *self,
                         const char          *path,
                         const AttnFileState *state,
                         gboolean             first)
{
  if (first)
    {
      g_ptr_array_insert (self->files, 0, g_strdup (path));
      g_array_prepend_val (self->file_states, *state);
    }
  else
    {
      g_ptr_array_add (self->files, g_strdup (path));
      g_array_append_val (self->file_states, *state);
    }
}

/**
 * attn_document_files_changed:
 * @changed_path: (out) (optional) (transfer none): the first file that changed
 *
 * Whether a file the document was read from differs now from when it was
 * read: another size or modification time, replaced by another file, or gone.
 * The document does not change (it owns what it read); this is for offering
 * to reload it. A file monitor's events may come late: this says whether
 * there is anything to reload.
 *
 * Returns: %TRUE when one of attn_document_get_files() changed
 */
gboolean
attn_document_files_changed (const AttnDocument  *self,
                             const char         **changed_path)
{
  g_return_val_if_fail (self != NULL, FALSE);

  for (guint i = 0; i < self->file_states->len; i++)
    {
      if (_attn_file_state_changed (g_ptr_array_index (self->files, i),
                                    &g_array_index (self->file_states, AttnFileState, i)))
        {
          if (changed_path != NULL)
            *changed_path = g_ptr_array_index (self->files, i);
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * attn_document_get_warnings:
 *
 * Returns: (array zero-terminated=1) (transfer none): the warnings raised while loading
 */
const char * const *
attn_document_get_warnings (const AttnDocument *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return strings_of (self->warnings);
}

/**
 * attn_examples_count_differences:
 *
 * Returns: at how many positions @a and @b have different tokens, or
 *   %G_MAXUINT when they have not as many tokens
 */
guint
attn_examples_count_differences (const AttnExample *a,
                                 const AttnExample *b)
{
  guint n, differences = 0;

  g_return_val_if_fail (a != NULL && b != NULL, G_MAXUINT);

  n = attn_example_get_n_tokens (a);
  if (attn_example_get_n_tokens (b) != n)
    return G_MAXUINT;
  for (guint i = 0; i < n; i++)
    differences += strcmp (attn_example_get_token (a, i), attn_example_get_token (b, i)) != 0;
  return differences;
}

/**
 * attn_examples_are_minimal_pair:
 *
 * Returns: whether @a and @b are one sentence but for a few tokens (a third
 *   of them at the most), as the two sentences of a pronoun-resolution pair
 *   are: what a difference of their heatmaps, position by position, needs
 */
gboolean
attn_examples_are_minimal_pair (const AttnExample *a,
                                const AttnExample *b)
{
  guint differences = attn_examples_count_differences (a, b);

  return differences != G_MAXUINT && differences <= attn_example_get_n_tokens (a) / 3;
}

/**
 * attn_examples_find_partner:
 * @examples: (array length=n_examples): examples, such as those of the open documents
 * @index: one of them
 *
 * Returns: the index of the example to compare @index's with: one of as
 *   many layers, the other sentence of its minimal pair (the fewest tokens
 *   different) when there is one, else the nearest (the next before the
 *   previous); -1 when no other example has as many layers
 */
int
attn_examples_find_partner (AttnExample * const *examples,
                            guint                n_examples,
                            guint                index)
{
  guint best_differences = G_MAXUINT, best_distance = G_MAXUINT;
  int best = -1;

  g_return_val_if_fail (examples != NULL && index < n_examples, -1);

  for (guint j = 0; j < n_examples; j++)
    {
      guint differences = G_MAXUINT, distance;

      if (j == index || attn_example_get_n_layers (examples[j]) != attn_example_get_n_layers (examples[index]))
        continue;
      if (attn_examples_are_minimal_pair (examples[index], examples[j]))
        differences = attn_examples_count_differences (examples[index], examples[j]);
      distance = j > index ? 2 * (j - index) - 1 : 2 * (index - j);
      if (differences < best_differences || (differences == best_differences && distance < best_distance))
        {
          best = (int) j;
          best_differences = differences;
          best_distance = distance;
        }
    }
  return best;
}
