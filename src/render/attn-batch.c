/* attn-batch.c: one figure per example, saved into a folder; the names of saved figures and tables
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <sys/stat.h>

#include "attn-batch.h"
#include "attn-error.h"
#include "attn-file.h"

/* Bytes of a file name stem taken from an id; the rest of the name (view,
 * number, extension) stays well under the usual 255-byte limit. */
#define STEM_MAX_BYTES 96

/**
 * attn_batch_safe_name:
 * @name: an example's id (any UTF-8 text)
 *
 * Makes a file name stem of an id: letters and digits of any script, `-`,
 * `_`, `.` and `+` are kept, everything else (slashes, spaces, control
 * characters, quotes…) becomes `_`; a leading `.` or `-` (a hidden file,
 * `..`, a name read as an option) becomes `_`; the result is cut to at most
 * 96 bytes at a character boundary. An empty result is "example".
 *
 * Returns: (transfer full): the stem
 */
char *
attn_batch_safe_name (const char *name)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (name != NULL, NULL);

  for (const char *p = name; *p != '\0'; )
    {
      gunichar c = g_utf8_get_char_validated (p, -1);
      char buf[8];
      int len;

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          /* not UTF-8 (the loader refuses it; be safe anyway) */
          c = '_';
          p++;
        }
      else
        p = g_utf8_next_char (p);

      if (!(g_unichar_isalnum (c) || c == '-' || c == '_' || c == '.' || c == '+')
          || (out->len == 0 && (c == '.' || c == '-')))
        c = '_';
      len = g_unichar_to_utf8 (c, buf);
      if (out->len + len > STEM_MAX_BYTES)
        break;
      g_string_append_len (out, buf, len);
    }
  if (out->len == 0)
    g_string_append (out, "example");

  return g_string_free (out, FALSE);
}

/* Bytes of a model's short name in a file name */
#define MODEL_MAX_BYTES 40

/**
 * attn_batch_model_name:
 * @model: (nullable): an example's model label (attn_example_get_model()):
 *   `bert-base-uncased`, `sentence-transformers/all-MiniLM-L6-v2`, `bert-base-uncased
 *   fine-tuned on SST-2 (Dodrio)`
 *
 * The model as a file name says it, short: its first word without the
 * organisation before a `/`, as attn_batch_safe_name() makes it, cut to 40
 * bytes at a character boundary: `bert-base-uncased`, `all-MiniLM-L6-v2`.
 *
 * Returns: (transfer full) (nullable): the name, or %NULL without a model
 */
char *
attn_batch_model_name (const char *model)
{
  g_autofree char *word = NULL;
  const char *slash;
  char *safe;
  gsize length;

  if (model == NULL)
    return NULL;
  model += strspn (model, " \t\n");
  length = strcspn (model, " \t\n");
  word = g_strndup (model, length);
  slash = strrchr (word, '/');
  if (slash != NULL)
    memmove (word, slash + 1, strlen (slash + 1) + 1);
  if (*word == '\0')
    return NULL;
  safe = attn_batch_safe_name (word);
  if (strlen (safe) > MODEL_MAX_BYTES)
    *g_utf8_find_prev_char (safe, safe + MODEL_MAX_BYTES + 1) = '\0';
  return safe;
}

/* @stem with “-@model” after it (attn_batch_model_name()) unless it says
 * the model already (`bert-base-uncased-cat-mat`, in any case) */
static void
append_model (GString    *stem,
              const char *model)
{
  g_autofree char *name = attn_batch_model_name (model);
  g_autofree char *folded_stem = NULL;
  g_autofree char *folded_name = NULL;

  if (name == NULL)
    return;
  folded_stem = g_utf8_casefold (stem->str, -1);
  folded_name = g_utf8_casefold (name, -1);
  if (strstr (folded_stem, folded_name) == NULL)
    g_string_append_printf (stem, "-%s", name);
}

/**
 * attn_export_format_get_extension:
 *
 * Returns: "png", "svg" or "pdf"
 */
const char *
attn_export_format_get_extension (AttnExportFormat format)
{
  switch (format)
    {
    case ATTN_EXPORT_PNG:
      return "png";
    case ATTN_EXPORT_SVG:
      return "svg";
    case ATTN_EXPORT_PDF:
      return "pdf";
    default:
      g_return_val_if_reached ("png");
    }
}

/* Bytes of a file name stem made of several ids (a comparison's) */
#define JOINED_MAX_BYTES 192

/* "-alti", "-norm-alti" (a list of kinds, in their order), "-weights" (every
 * kind the examples carry) or nothing (the attention alone) */
static void
append_weights (GString                  *out,
                const AttnFigureSettings *settings)
{
  guint kinds = attn_figure_settings_get_weight_kinds (settings);

  if ((kinds & (kinds - 1)) != 0 && settings->all_weights)
    g_string_append (out, "-weights");
  else if ((kinds & (kinds - 1)) != 0)
    {
      g_autofree char *names = attn_weight_kinds_join (kinds, "-");

      g_string_append_printf (out, "-%s", names);
    }
  else if (settings->weights != ATTN_WEIGHT_KIND_ATTENTION)
    g_string_append_printf (out, "-%s", attn_weight_kind_get_name (settings->weights));
}

/**
 * attn_batch_view_name:
 * @settings: the figure
 *
 * The part of a figure's file name that says what it shows: the method (raw,
 * rollout, flow, or all), then the weights where they are not the attention:
 * `flow-alti`; a list of kinds side by side by their names, `rollout-norm-alti`;
 * every kind the examples carry (@settings->all_weights), `rollout-weights`.
 *
 * Returns: (transfer full): the name
 */
char *
attn_batch_view_name (const AttnFigureSettings *settings)
{
  GString *out;

  g_return_val_if_fail (settings != NULL, NULL);

  out = g_string_new (settings->all_methods ? "all" : attn_method_get_name (settings->method));
  append_weights (out, settings);
  return g_string_free (out, FALSE);
}

/**
 * attn_batch_file_names:
 * @examples: (array length=n_examples): the examples
 * @settings: the figure (kind, view)
 * @format: the file format
 *
 * The file names of a batch: `<id>-<view>.<ext>` for graph figures and
 * `<id>-<view>-heatmap.<ext>` for heatmaps, where `<id>` is
 * attn_batch_safe_name() of attn_example_get_label() (the id, or the index)
 * and `<view>` is attn_batch_view_name() (`flow`, `flow-alti`,
 * `rollout-norm-alti`, `rollout-weights`…), so that batches of other weight
 * kinds in one folder do not overwrite each other. Names that would be equal,
 * also when compared without regard to case (a case-insensitive file system),
 * are told apart by a number after the id: `a_b-flow.svg`, `a_b-2-flow.svg`…
 *
 * Returns: (transfer full) (element-type utf8): one name per example, in order
 */
GPtrArray *
attn_batch_file_names (AttnExample * const      *examples,
                       guint                     n_examples,
                       const AttnFigureSettings *settings,
                       AttnExportFormat          format)
{
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *ext = attn_export_format_get_extension (format);
  const char *suffix;
  g_autofree char *view = NULL;

  g_return_val_if_fail (examples != NULL || n_examples == 0, names);
  g_return_val_if_fail (settings != NULL, names);

  suffix = settings->kind == ATTN_FIGURE_HEATMAP ? "-heatmap" : "";
  view = attn_batch_view_name (settings);
  for (guint i = 0; i < n_examples; i++)
    {
      g_autofree char *stem = attn_batch_safe_name (attn_example_get_label (examples[i]));
      char *name = NULL;

      for (guint number = 1; name == NULL; number++)
        {
          g_autofree char *candidate = number == 1
            ? g_strdup_printf ("%s-%s%s.%s", stem, view, suffix, ext)
            : g_strdup_printf ("%s-%u-%s%s.%s", stem, number, view, suffix, ext);
          char *key = g_utf8_casefold (candidate, -1);

          if (g_hash_table_add (taken, key))
            name = g_steal_pointer (&candidate);
        }
      g_ptr_array_add (names, name);
    }

  return names;
}

/**
 * attn_batch_save_name:
 * @example: the example of the figure
 * @settings: the figure (kind, view)
 * @format: the file format
 *
 * The name the application's Save suggests for a figure of one example: the
 * batch's (attn_batch_file_names()) with the model after the id
 * (attn_batch_model_name()), so that the figures of one sentence from two
 * models do not take one name: `cat-mat-bert-base-uncased-rollout-heatmap.png`,
 * `cat-mat-gpt2-rollout-heatmap.png`. Without a model, or with an id that
 * names it, the batch's name.
 *
 * Returns: (transfer full): the name
 */
char *
attn_batch_save_name (AttnExample              *example,
                      const AttnFigureSettings *settings,
                      AttnExportFormat          format)
{
  g_autofree char *id = NULL;
  g_autofree char *view = NULL;
  g_autoptr(GString) stem = NULL;

  g_return_val_if_fail (example != NULL, NULL);
  g_return_val_if_fail (settings != NULL, NULL);

  id = attn_batch_safe_name (attn_example_get_label (example));
  stem = g_string_new (id);
  append_model (stem, attn_example_get_model (example));
  view = attn_batch_view_name (settings);
  return g_strdup_printf ("%s-%s%s.%s", stem->str, view, settings->kind == ATTN_FIGURE_HEATMAP ? "-heatmap" : "",
                          attn_export_format_get_extension (format));
}

/**
 * attn_batch_compare_file_name:
 * @examples: (array length=n_examples): the examples compared
 * @settings: the comparison
 * @format: the file format
 *
 * The name of a comparison's file: the examples' names as
 * attn_batch_file_names() makes them, joined by `-vs-`, their model
 * (attn_batch_model_name()), then attn_batch_view_name():
 * `author-his-vs-author-her-all-MiniLM-L6-v2-rollout.png`; examples of
 * several models each have theirs: `cat-mat-bert-base-uncased-vs-cat-mat-gpt2-rollout.png`.
 * The ids are cut at a character boundary to keep the name short enough
 * for a file system.
 *
 * Returns: (transfer full): the name
 */
char *
attn_batch_compare_file_name (AttnExample * const      *examples,
                              guint                     n_examples,
                              const AttnFigureSettings *settings,
                              AttnExportFormat          format)
{
  g_autoptr(GString) stem = g_string_new (NULL);
  g_autofree char *view = NULL;
  g_autofree char *model = NULL;
  gboolean one_model = TRUE;

  g_return_val_if_fail (examples != NULL || n_examples == 0, NULL);
  g_return_val_if_fail (settings != NULL, NULL);

  for (guint i = 0; i < n_examples; i++)
    {
      g_autofree char *name = attn_batch_model_name (attn_example_get_model (examples[i]));

      if (i == 0)
        model = g_steal_pointer (&name);
      else
        one_model &= g_strcmp0 (model, name) == 0;
    }
  for (guint i = 0; i < n_examples; i++)
    {
      g_autofree char *id = attn_batch_safe_name (attn_example_get_label (examples[i]));
      g_autoptr(GString) one = g_string_new (id);

      if (!one_model)
        append_model (one, attn_example_get_model (examples[i]));
      g_string_append_printf (stem, "%s%s", i > 0 ? "-vs-" : "", one->str);
    }
  if (stem->len > JOINED_MAX_BYTES)
    g_string_truncate (stem, g_utf8_find_prev_char (stem->str, stem->str + JOINED_MAX_BYTES + 1)
                             - stem->str);
  if (stem->len == 0)
    g_string_append (stem, "compare");
  if (one_model && n_examples > 0)
    append_model (stem, attn_example_get_model (examples[0]));
  view = attn_batch_view_name (settings);
  return g_strdup_printf ("%s-%s.%s", stem->str, view, attn_export_format_get_extension (format));
}

/**
 * attn_batch_correlation_file_name:
 * @path: the file the examples come from
 * @model: (nullable): its model (attn_document_get_model())
 * @reference: the reference correlated with (such as gradient)
 * @weights: the weights of the methods
 * @extension: the file's extension, without the dot
 *
 * The name of a correlation's plot or table: the file's base name without
 * its extension, the model unless that name says it
 * (attn_batch_model_name()), `correlate`, the reference, and the weights
 * where they are not the attention, as `attnflow-cli correlate FILE
 * --reference REF --weights W` computes it:
 * `sst2-bert-bert-base-uncased-correlate-gradient-alti.csv`.
 *
 * Returns: (transfer full): the name
 */
char *
attn_batch_correlation_file_name (const char     *path,
                                  const char     *model,
                                  const char     *reference,
                                  AttnWeightKind  weights,
                                  const char     *extension)
{
  g_autofree char *base = NULL;
  g_autofree char *file = NULL;
  g_autofree char *ref = NULL;
  GString *out;
  char *dot;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (reference != NULL, NULL);
  g_return_val_if_fail (extension != NULL, NULL);

  base = g_path_get_basename (path);
  dot = strrchr (base, '.');
  if (dot != NULL && dot != base)
    *dot = '\0';
  file = attn_batch_safe_name (base);
  ref = attn_batch_safe_name (reference);
  out = g_string_new (file);
  append_model (out, model);
  g_string_append_printf (out, "-correlate-%s", ref);
  if (weights != ATTN_WEIGHT_KIND_ATTENTION && weights < ATTN_N_WEIGHT_KINDS)
    g_string_append_printf (out, "-%s", attn_weight_kind_get_name (weights));
  g_string_append_printf (out, ".%s", extension);
  return g_string_free (out, FALSE);
}

/* The folder as the messages name it: as the caller shows it, else as
 * attn_error_display_file() does */
static char *
folder_name (const AttnBatchRequest *request)
{
  if (request->folder_name != NULL)
    return g_strdup (request->folder_name);
  return attn_error_display_file (request->folder);
}

/* Whether the folder @path (missing; @shown as the messages name it) can
 * be made, as attn_figure_save_batch() makes it with its missing parents:
 * one can be made in the nearest of them that exists, tried as making it
 * does (attn_file_check_new_folder()). Else the message saving gave after
 * the work (“Could not make the folder “/proc/x”: its folder does not
 * accept new files”), or, with folders missing between, one that names
 * the folder that refuses them (saving named “/proc/self/x/y”'s folder
 * missing). */
static gboolean
check_new_folder (const char  *path,
                  const char  *shown,
                  GError     **error)
{
  g_autofree char *base = g_strdup (path), *shown_base = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GError) refused = NULL;
  const char *reason;
  guint up = 0;
  struct stat info;

  /* the nearest parent that exists (“figures/” is the folder itself) */
  for (;;)
    {
      char *parent = g_path_get_dirname (base);
      gboolean top = g_str_equal (parent, base);

      up += !g_str_has_suffix (base, G_DIR_SEPARATOR_S);
      g_free (base);
      base = parent;
      if (top)
        return TRUE;
      if (stat (base, &info) == 0)
        break;
      if (errno != ENOENT && errno != ENOTDIR)
        return TRUE;
    }
  folder = g_file_new_for_path (base);
  if (S_ISDIR (info.st_mode) && attn_file_check_new_folder (folder, &refused))
    return TRUE;
  reason = refused == NULL ? g_strerror (ENOTDIR) : refused->message;
  if (up > 1)
    {
      shown_base = attn_error_display_path (base);
      /* translators: the folder the figures are saved in, the nearest of its parents
       * that exists, then the system's reason (“it does not accept new files”) */
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_IO, _("Could not make the folder “%s” in “%s”: %s"),
                   shown, shown_base, reason);
      return FALSE;
    }
  /* as saving says it (attn_export_error_cause()) */
  if (g_error_matches (refused, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    reason = _("its folder does not accept new files");
  g_set_error (error, ATTN_ERROR, ATTN_ERROR_IO, _("Could not make the folder “%s”: %s"), shown, reason);
  return FALSE;
}

/**
 * attn_batch_check_folder:
 * @folder: where a batch is to save its figures (attn_figure_save_batch())
 * @given: (nullable): @folder as the user gave it (a command-line
 *   argument: a relative path stays relative), unescaped; %NULL to name it
 *   by its path (attn_error_display_file())
 * @error: return location for a #GError
 *
 * Whether the figures can be saved in @folder: to fail before the files
 * are read and the first figure drawn, with the message saving would give
 * after the work. A file is made in it and removed
 * (attn_file_check_folder()), so a folder root may write in (even 0555)
 * passes, as saving would succeed, and /proc, which root may write in by
 * its permissions but which makes no files, does not. A folder that does
 * not exist must be one saving can make (check_new_folder()). A file is
 * left to saving, which says it is no folder; so is a remote folder.
 *
 * Returns: %FALSE with @error set (%ATTN_ERROR_IO) when not
 */
gboolean
attn_batch_check_folder (GFile       *folder,
                         const char  *given,
                         GError     **error)
{
  g_autofree char *local = NULL;
  g_autofree char *shown = NULL;
  g_autoptr(GError) refused = NULL;
  struct stat info;

  g_return_val_if_fail (G_IS_FILE (folder), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if ((local = g_file_get_path (folder)) == NULL)
    return TRUE;
  shown = given != NULL ? attn_error_escape_text (given, -1) : attn_error_display_file (folder);
  if (stat (local, &info) != 0)
    return (errno != ENOENT && errno != ENOTDIR) ||
           check_new_folder (given != NULL && g_uri_peek_scheme (given) == NULL ? given : local, shown, error);
  if (!S_ISDIR (info.st_mode) || attn_file_check_folder (folder, &refused))
    return TRUE;
  /* translators: a folder, then the system's reason */
  g_set_error (error, ATTN_ERROR, ATTN_ERROR_IO, _("Could not save the figures in “%s”: %s"),
               shown, refused->message);
  return FALSE;
}

/**
 * attn_figure_save_batch:
 * @request: the examples, their figure, the folder and the format
 * @progress: (nullable) (scope call): told before each example
 * @user_data: its closure
 * @files: (out) (optional) (transfer full) (element-type GFile): the files
 *   written, in order (also on failure: those saved before it)
 * @cancellable: (nullable): checked before each example and while drawing
 * @error: return location for a #GError
 *
 * Draws and saves one figure per example, named by attn_batch_file_names().
 * Each file is saved as attn_figure_save() saves it (a temporary file
 * renamed into place), so a failure leaves no partial file behind. Stops at
 * the first example that fails, with an error that names it.
 *
 * Returns: %TRUE when every figure was saved
 */
gboolean
attn_figure_save_batch (const AttnBatchRequest    *request,
                        AttnBatchProgressFunc      progress,
                        gpointer                   user_data,
                        GPtrArray                **files,
                        GCancellable              *cancellable,
                        GError                   **error)
{
  double scale;
  g_autoptr(GPtrArray) written = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) names = NULL;
  g_autofree AttnExample **examples = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (request != NULL, FALSE);
  g_return_val_if_fail (request->inputs != NULL || request->n_inputs == 0, FALSE);
  g_return_val_if_fail (request->settings != NULL, FALSE);
  g_return_val_if_fail (request->settings->kind == ATTN_FIGURE_GRAPH ||
                        request->settings->kind == ATTN_FIGURE_HEATMAP, FALSE);
  g_return_val_if_fail (request->style != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (request->folder), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  scale = request->format == ATTN_EXPORT_PNG && request->scale > 0. ? request->scale : 1.;

  if (!g_file_make_directory_with_parents (request->folder, cancellable, &local_error)
      && !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_autofree char *where = folder_name (request);
      g_autofree char *cause = attn_export_error_cause (request->folder, local_error);

      g_set_error (error, ATTN_ERROR, ATTN_ERROR_IO, _("Could not make the folder “%s”: %s"), where,
                   cause);
      ok = FALSE;
      goto out;
    }
  g_clear_error (&local_error);
  if (g_file_query_file_type (request->folder, G_FILE_QUERY_INFO_NONE, cancellable) !=
      G_FILE_TYPE_DIRECTORY)
    {
      g_autofree char *where = folder_name (request);

      g_set_error (error, ATTN_ERROR, ATTN_ERROR_IO, _("“%s” is not a folder"), where);
      ok = FALSE;
      goto out;
    }

  examples = g_new (AttnExample *, MAX (request->n_inputs, 1));
  for (guint i = 0; i < request->n_inputs; i++)
    examples[i] = request->inputs[i].example;
  names = attn_batch_file_names (examples, request->n_inputs, request->settings, request->format);

  for (guint i = 0; i < request->n_inputs && ok; i++)
    {
      const char *name = attn_example_get_label (request->inputs[i].example);
      g_autoptr(AttnFigure) figure = NULL;
      g_autoptr(GFile) file = g_file_get_child (request->folder, g_ptr_array_index (names, i));
      g_autofree char *shown = request->folder_name != NULL
                               ? g_build_filename (request->folder_name, g_ptr_array_index (names, i), NULL)
                               : NULL;

      if (progress != NULL)
        progress (i, request->n_inputs, name, user_data);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          ok = FALSE;
          break;
        }
      /* a PNG too large, or not a regular file: refused before the values are computed */
      if (!attn_figure_check_save (&request->inputs[i], 1, request->settings, request->style, request->width,
                                   request->height, file, shown, request->format, scale, &local_error)
          || (figure = attn_figure_build_at_size (&request->inputs[i], 1, request->settings, request->style,
                                                  request->width, request->height, cancellable,
                                                  &local_error)) == NULL
          || !attn_figure_save_named (figure, file, shown, request->format, scale, cancellable,
                                      &local_error))
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_propagate_error (error, g_steal_pointer (&local_error));
          else
            {
              g_autofree char *named = attn_example_dup_message_name (request->inputs[i].example);

              /* the message names the example already, or else the prefix does */
              if (strstr (local_error->message, named) != NULL)
                /* translators: which figure of a batch failed; the reason follows */
                g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                            _("Figure %u of %u: "), i + 1, request->n_inputs);
              else
                /* translators: the example (“cat-mat”, or 3 (no id)), its number and how
                 * many there are; the reason follows */
                g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                            _("Example %s (%u of %u): "), named, i + 1, request->n_inputs);
            }
          ok = FALSE;
          break;
        }
      g_ptr_array_add (written, g_steal_pointer (&file));
    }
  if (ok && progress != NULL)
    progress (request->n_inputs, request->n_inputs, NULL, user_data);

out:
  if (files != NULL)
    *files = g_steal_pointer (&written);
  return ok;
}
