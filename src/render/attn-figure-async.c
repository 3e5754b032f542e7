/* attn-figure-async.c: building and saving figures on a worker thread
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "attn-batch.h"
#include "attn-export.h"
#include "attn-figure.h"

/* What a worker needs, copied: the caller may free its arguments on return */
typedef struct
{
  AttnFigureInput    *inputs;
  guint               n_inputs;
  AttnFigureSettings  settings;
  AttnFigureStyle     style;
  char               *heads;
  char               *font_family;
  AttnFigure         *figure;
  GFile              *file;
  double              scale;
  AttnBatchRequest    batch;      /* batch: the request, on the copies above */
  char               *folder_name; /* batch: its copy of the request's */
  AttnProgress       *progress;   /* batch, nullable */
  double              width;      /* build: the size to lay the figure out at, or 0 */
  double              height;
  AttnFigure         *at_size;    /* build: the figure laid out at that size */
} FigureJob;

static void
figure_job_free (gpointer data)
{
  FigureJob *job = data;

  for (guint i = 0; i < job->n_inputs; i++)
    {
      AttnFigureInput *input = &job->inputs[i];

      attn_example_unref (input->example);
      g_free ((char *) input->path);
      g_clear_pointer (&input->graph, attn_graph_unref);
      for (guint m = 0; m < ATTN_N_METHODS; m++)
        g_free ((double *) input->values[m]);
    }
  g_free (job->inputs);
  g_free (job->heads);
  g_free (job->font_family);
  g_free (job->folder_name);
  g_clear_pointer (&job->figure, attn_figure_unref);
  g_clear_pointer (&job->at_size, attn_figure_unref);
  g_clear_object (&job->file);
  g_clear_pointer (&job->progress, attn_progress_unref);
  g_free (job);
}

static void
build_worker (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  FigureJob *job = task_data;
  GError *error = NULL;
  AttnFigure *figure;

  figure = attn_figure_build (job->inputs, job->n_inputs, &job->settings, &job->style, cancellable,
                              &error);
  if (figure == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (job->width > 0. && job->height > 0. && !g_cancellable_is_cancelled (cancellable))
    job->at_size = attn_figure_new_at_size (figure, job->width, job->height);
  g_task_return_pointer (task, figure, (GDestroyNotify) attn_figure_unref);
}

/* A job on copies of @inputs, @settings and @style, to lay the figure out
 * at @width x @height (0 for its natural size, or none) */
static FigureJob *
figure_job_new (const AttnFigureInput    *inputs,
                guint                     n_inputs,
                const AttnFigureSettings *settings,
                const AttnFigureStyle    *style,
                double                    width,
                double                    height)
{
  FigureJob *job = g_new0 (FigureJob, 1);

  job->n_inputs = n_inputs;
  job->inputs = g_new0 (AttnFigureInput, MAX (n_inputs, 1));
  for (guint i = 0; i < n_inputs; i++)
    {
      const AttnFigureInput *from = &inputs[i];
      AttnFigureInput *to = &job->inputs[i];
      gsize size = (gsize) attn_example_get_n_layers (from->example) *
                   attn_example_get_n_tokens (from->example) * sizeof (double);

      to->example = attn_example_ref (from->example);
      to->path = g_strdup (from->path);
      to->graph = from->graph ? attn_graph_ref (from->graph) : NULL;
      for (guint m = 0; m < ATTN_N_METHODS; m++)
        to->values[m] = from->values[m] ? g_memdup2 (from->values[m], size) : NULL;
    }
  job->settings = *settings;
  job->settings.heads = job->heads = g_strdup (settings->heads);
  job->style = *style;
  job->style.font_family = job->font_family = g_strdup (style->font_family);
  job->scale = 1.;
  job->width = width;
  job->height = height;
  return job;
}

/**
 * attn_figure_build_at_size_async:
 * @inputs: (array length=n_inputs): the examples (copied)
 * @settings: what to compute and show (copied)
 * @style: colours, fonts, decluttering (copied)
 * @width: the size it is shown at (attn_figure_new_at_size()), or 0
 * @height:
 *
 * Runs attn_figure_build() on a worker thread, and lays the figure out at
 * @width x @height there too: finish with attn_figure_build_finish(), then
 * attn_figure_build_get_at_size() has the figure laid out.
 */
void
attn_figure_build_at_size_async (const AttnFigureInput    *inputs,
                                 guint                     n_inputs,
                                 const AttnFigureSettings *settings,
                                 const AttnFigureStyle    *style,
                                 double                    width,
                                 double                    height,
                                 GCancellable             *cancellable,
                                 GAsyncReadyCallback       callback,
                                 gpointer                  user_data)
{
  FigureJob *job;

  g_return_if_fail (inputs != NULL || n_inputs == 0);
  g_return_if_fail (settings != NULL);
  g_return_if_fail (style != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  job = figure_job_new (inputs, n_inputs, settings, style, width, height);
  attn_task_run_in_thread (attn_figure_build_at_size_async, job, figure_job_free, build_worker, cancellable,
                           callback, user_data);
}

/**
 * attn_figure_build_get_at_size:
 * @result: a finished build of attn_figure_build_at_size_async()
 * @width: (out) (optional): the size it was laid out at
 * @height: (out) (optional):
 *
 * Returns: (transfer none) (nullable): the figure laid out at that size;
 *   %NULL for a build without a size, or one that failed
 */
AttnFigure *
attn_figure_build_get_at_size (GAsyncResult *result,
                               double       *width,
                               double       *height)
{
  FigureJob *job;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == attn_figure_build_at_size_async, NULL);

  job = g_task_get_task_data (G_TASK (result));
  if (width != NULL)
    *width = job->width;
  if (height != NULL)
    *height = job->height;
  return job->at_size;
}

/**
 * attn_figure_build_finish:
 *
 * Returns: (transfer full) (nullable): the figure, or %NULL with @error set
 *   (%G_IO_ERROR_CANCELLED when cancelled)
 */
AttnFigure *
attn_figure_build_finish (GAsyncResult  *result,
                          GError       **error)
{
  return attn_task_propagate_pointer (result, attn_figure_build_at_size_async, error);
}

static void
save_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  FigureJob *job = task_data;
  g_autofree char *name = g_file_get_basename (job->file);
  GError *error = NULL;
  AttnExportFormat format;

  /* a PNG too large, or not a regular file: refused before the values are computed */
  if (job->figure == NULL && attn_export_format_from_path (name ? name : "", &format, NULL) &&
      !attn_figure_check_save (job->inputs, job->n_inputs, &job->settings, &job->style, job->width, job->height,
                               job->file, NULL, format, job->scale, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (job->figure == NULL)
    job->figure = attn_figure_build_at_size (job->inputs, job->n_inputs, &job->settings, &job->style,
                                             job->width, job->height, cancellable, &error);
  if (job->figure == NULL ||
      !attn_export_format_from_path (name ? name : "", &format, &error) ||
      !attn_figure_save (job->figure, job->file, format, job->scale, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Saves @job's figure, or the one it builds first, to @file on a worker
 * thread: a task of attn_figure_save_async(), whatever started it, so that
 * attn_figure_save_finish() takes both */
static void
run_save (FigureJob           *job,
          GFile               *file,
          double               scale,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  job->file = g_object_ref (file);
  job->scale = scale;
  attn_task_run_in_thread (attn_figure_save_async, job, figure_job_free, save_worker, cancellable,
                           callback, user_data);
}

/**
 * attn_figure_save_async:
 * @figure: the figure
 * @file: where to save it: PNG, SVG or PDF by the name's extension
 * @scale: PNG pixels per figure pixel (SVG and PDF are 1x)
 *
 * Runs attn_figure_save() on a worker thread; an unknown extension is an
 * error of the result. The target is replaced only by a complete file.
 */
void
attn_figure_save_async (AttnFigure          *figure,
                        GFile               *file,
                        double               scale,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  FigureJob *job;

  g_return_if_fail (figure != NULL);
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (scale > 0.);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  job = g_new0 (FigureJob, 1);
  job->figure = attn_figure_ref (figure);
  run_save (job, file, scale, cancellable, callback, user_data);
}

/**
 * attn_figure_build_and_save_async:
 * @inputs: (array length=n_inputs): the examples (copied)
 * @settings: what to compute and show (copied)
 * @style: colours, fonts, decluttering (copied)
 * @width: the size to lay the figure out at (attn_figure_new_at_size()):
 *   the size it is shown at; 0 for its natural size
 * @height:
 * @file: where to save it: PNG, SVG or PDF by the name's extension
 * @scale: PNG only: pixels per figure pixel (1, 2, 3…)
 *
 * Builds a figure (attn_figure_build()), lays it out at @width x @height
 * and saves it on a worker thread; finish with attn_figure_save_finish().
 */
void
attn_figure_build_and_save_async (const AttnFigureInput    *inputs,
                                  guint                     n_inputs,
                                  const AttnFigureSettings *settings,
                                  const AttnFigureStyle    *style,
                                  double                    width,
                                  double                    height,
                                  GFile                    *file,
                                  double                    scale,
                                  GCancellable             *cancellable,
                                  GAsyncReadyCallback       callback,
                                  gpointer                  user_data)
{
  FigureJob *job;

  g_return_if_fail (inputs != NULL || n_inputs == 0);
  g_return_if_fail (settings != NULL && style != NULL);
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (scale > 0.);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  job = figure_job_new (inputs, n_inputs, settings, style, width, height);
  run_save (job, file, scale, cancellable, callback, user_data);
}

/**
 * attn_figure_save_finish:
 * @file: (out) (optional) (transfer none): the file saved to, for messages
 *
 * Returns: whether the figure was saved; else %FALSE with @error set
 */
gboolean
attn_figure_save_finish (GAsyncResult  *result,
                         GFile        **file,
                         GError       **error)
{
  FigureJob *job;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == attn_figure_save_async, FALSE);

  job = g_task_get_task_data (G_TASK (result));
  if (file != NULL)
    *file = job->file;
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
batch_progress_cb (guint       done,
                   guint       total,
                   const char *name,
                   gpointer    user_data)
{
  if (user_data != NULL && total > 0)
    attn_progress_report ((double) done / total, user_data);
}

static void
batch_worker (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  FigureJob *job = task_data;
  g_autoptr(GPtrArray) files = NULL;
  GError *error = NULL;

  if (!attn_figure_save_batch (&job->batch, batch_progress_cb, job->progress, &files, cancellable,
                               &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&files), (GDestroyNotify) g_ptr_array_unref);
}

/**
 * attn_figure_save_batch_async:
 * @request: the examples, their figure, the folder and the format (copied)
 * @progress: (nullable): gets the fraction of the examples saved
 *
 * Runs attn_figure_save_batch() on a worker thread.
 */
void
attn_figure_save_batch_async (const AttnBatchRequest *request,
                              AttnProgress           *progress,
                              GCancellable           *cancellable,
                              GAsyncReadyCallback     callback,
                              gpointer                user_data)
{
  FigureJob *job;

  g_return_if_fail (request != NULL);
  g_return_if_fail (request->inputs != NULL || request->n_inputs == 0);
  g_return_if_fail (request->settings != NULL && request->style != NULL);
  g_return_if_fail (G_IS_FILE (request->folder));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  job = figure_job_new (request->inputs, request->n_inputs, request->settings, request->style, 0., 0.);
  job->file = g_object_ref (request->folder);
  /* The job's own copy of the request, pointing at what the job holds */
  job->batch = *request;
  job->batch.inputs = job->inputs;
  job->batch.settings = &job->settings;
  job->batch.style = &job->style;
  job->batch.folder = job->file;
  job->folder_name = g_strdup (request->folder_name);
  job->batch.folder_name = job->folder_name;
  job->progress = progress != NULL ? attn_progress_ref (progress) : NULL;
  attn_task_run_in_thread (attn_figure_save_batch_async, job, figure_job_free, batch_worker, cancellable,
                           callback, user_data);
}

/**
 * attn_figure_save_batch_finish:
 *
 * Returns: (transfer full) (element-type GFile) (nullable): the files
 *   written, or %NULL with @error set
 */
GPtrArray *
attn_figure_save_batch_finish (GAsyncResult  *result,
                               GError       **error)
{
  return attn_task_propagate_pointer (result, attn_figure_save_batch_async, error);
}
