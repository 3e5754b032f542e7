/* test-stress.c: many rollout and flow jobs started and cancelled at once
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Several threads each play the part of a window: every "click" cancels the
 * job in flight and starts a new one in GLib's thread pool, exactly as the
 * app does (one GCancellable per job, results delivered to the thread's own
 * main context). The checks: nothing crashes or leaks (the suite runs under
 * ASan+LSan and valgrind), a job either fails with G_IO_ERROR_CANCELLED or
 * returns the exact values of a synchronous computation (never a partial or
 * mixed-up result), and after the last click what is shown is the last
 * job's result, equal to a fresh synchronous computation. */

#include "config.h"

#include <math.h>
#include <string.h>

#include "attn-core.h"

#define STRESS_LAYERS 6
#define STRESS_HEADS 3
#define STRESS_TOKENS 16
#define STRESS_THREADS 4
#define STRESS_JOBS_PER_THREAD 250 /* 1000 jobs in all */

typedef enum
{
  JOB_ROLLOUT_NODE,
  JOB_ROLLOUT_POSITION,
  JOB_FLOW_NODE,
  JOB_FLOW_POSITION,
  JOB_GRAPH_AND_FLOW, /* a settings change: a new graph (heads 0,2, max), then flow */
  N_JOB_KINDS
} JobKind;

typedef struct
{
  JobKind kind;
  guint   layer;    /* 1..L (node jobs) */
  guint   position;
  guint   n_threads; /* the flow engine's own threads: 0 (all) or 1 */
} JobSpec;

typedef struct
{
  AttnExample *example;
  AttnGraph   *graph;
  /* Synchronous results, indexed by kind, layer and position. */
  double      *expected[N_JOB_KINDS][STRESS_LAYERS + 1][STRESS_TOKENS];
} Fixture;

static double
next_uniform (guint64 *state)
{
  *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
  return (double) (*state >> 11) / 9007199254740992.;
}

/* Softmax attention with an attention sink on the first and last tokens. */
static AttnExample *
synthetic_example (guint   L,
                   guint   H,
                   guint   n,
                   guint64 seed)
{
  g_autofree double *a = g_new (double, (gsize) L * H * n * n);
  g_auto(GStrv) tokens = g_new0 (char *, n + 1);
  guint64 state = seed;
  g_autoptr(GError) error = NULL;
  AttnExample *example;

  for (guint i = 0; i < n; i++)
    tokens[i] = g_strdup_printf ("t%u", i);
  for (gsize row = 0; row < (gsize) L * H * n; row++)
    {
      double *r = a + row * n;
      guint q = row % n;
      double sum = 0.;

      for (guint k = 0; k < n; k++)
        {
          double logit = 2. * next_uniform (&state);

          if (k == 0 || k == n - 1)
            logit += 3.;
          if (k == q)
            logit += 1.5;
          r[k] = exp (logit);
          sum += r[k];
        }
      for (guint k = 0; k < n; k++)
        r[k] /= sum;
    }
  example = attn_example_new_from_doubles ("stress", (const char * const *) tokens, L, H, a, &error);
  g_assert_no_error (error);
  return example;
}

static gsize
spec_length (const JobSpec *spec)
{
  switch (spec->kind)
    {
    case JOB_ROLLOUT_POSITION:
    case JOB_FLOW_POSITION:
      return (gsize) STRESS_LAYERS * STRESS_TOKENS;
    case JOB_ROLLOUT_NODE:
    case JOB_FLOW_NODE:
    case JOB_GRAPH_AND_FLOW:
    case N_JOB_KINDS:
    default:
      return STRESS_TOKENS;
    }
}

/* Runs one job; FALSE with @error set when cancelled. Thread-safe. */
static gboolean
run_spec (AttnExample   *example,
          AttnGraph     *graph,
          const JobSpec *spec,
          double        *out,
          GCancellable  *cancellable,
          GError       **error)
{
  AttnFlowOptions options = { FALSE, spec->n_threads, NULL, NULL };

  switch (spec->kind)
    {
    case JOB_ROLLOUT_NODE:
      return attn_rollout_node (graph, spec->layer, spec->position, out, cancellable, error);
    case JOB_ROLLOUT_POSITION:
      return attn_rollout_position (graph, spec->position, out, cancellable, error);
    case JOB_FLOW_NODE:
      return attn_flow_node (graph, spec->layer, spec->position, &options, out, cancellable, error);
    case JOB_FLOW_POSITION:
      return attn_flow_position (graph, spec->position, &options, out, cancellable, error);
    case JOB_GRAPH_AND_FLOW:
      {
        static const guint heads[] = { 0, 2 };
        AttnGraphOptions graph_options = { 0.3, ATTN_HEAD_MIX_MAX, G_N_ELEMENTS (heads), heads };
        g_autoptr(AttnGraph) other = attn_graph_new (example, &graph_options, cancellable, error);

        if (other == NULL)
          return FALSE;
        return attn_flow_node (other, spec->layer, spec->position, &options, out, cancellable, error);
      }
    case N_JOB_KINDS:
    default:
      g_assert_not_reached ();
    }
}

static void
fixture_init (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  AttnGraphOptions options = ATTN_GRAPH_OPTIONS_INIT;

  fixture->example = synthetic_example (STRESS_LAYERS, STRESS_HEADS, STRESS_TOKENS, 20260101);
  fixture->graph = attn_graph_new (fixture->example, &options, NULL, &error);
  g_assert_no_error (error);

  for (guint kind = 0; kind < N_JOB_KINDS; kind++)
    for (guint l = 1; l <= STRESS_LAYERS; l++)
      for (guint p = 0; p < STRESS_TOKENS; p++)
        {
          JobSpec spec = { kind, l, p, 1 };

          if ((kind == JOB_ROLLOUT_POSITION || kind == JOB_FLOW_POSITION) && l > 1)
            continue;
          fixture->expected[kind][l][p] = g_new (double, spec_length (&spec));
          g_assert_true (run_spec (fixture->example, fixture->graph, &spec,
                                   fixture->expected[kind][l][p], NULL, &error));
          g_assert_no_error (error);
        }
}

static void
fixture_clear (Fixture *fixture)
{
  for (guint kind = 0; kind < N_JOB_KINDS; kind++)
    for (guint l = 1; l <= STRESS_LAYERS; l++)
      for (guint p = 0; p < STRESS_TOKENS; p++)
        g_free (fixture->expected[kind][l][p]);
  g_clear_pointer (&fixture->graph, attn_graph_unref);
  g_clear_pointer (&fixture->example, attn_example_unref);
}

static const double *
fixture_expected (const Fixture *fixture,
                  const JobSpec *spec)
{
  guint l = spec->kind == JOB_ROLLOUT_POSITION || spec->kind == JOB_FLOW_POSITION ? 1 : spec->layer;

  return fixture->expected[spec->kind][l][spec->position];
}

/* ---- one "window": a controller that keeps only the latest job ---- */

typedef struct
{
  const Fixture *fixture;
  AttnExample   *example;
  AttnGraph     *graph;
  GCancellable  *current;     /* the latest job's */
  guint          serial;      /* the latest job's */
  JobSpec        last_spec;
  double        *shown;       /* the result on display */
  guint          shown_serial;
  guint          pending;
  guint          n_cancelled;
  guint          n_completed;
  guint          n_superseded; /* finished before noticing the cancel: dropped */
} Controller;

typedef struct
{
  Controller  *controller;
  AttnExample *example;
  AttnGraph   *graph;
  JobSpec      spec;
  guint        serial;
} JobData;

static void
job_data_free (gpointer data)
{
  JobData *job = data;

  attn_example_unref (job->example);
  attn_graph_unref (job->graph);
  g_free (job);
}

static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  JobData *job = task_data;
  double *out = g_new (double, spec_length (&job->spec));
  GError *error = NULL;

  if (run_spec (job->example, job->graph, &job->spec, out, cancellable, &error))
    g_task_return_pointer (task, out, g_free);
  else
    {
      g_free (out);
      g_task_return_error (task, error);
    }
}

static void
job_done (GObject      *source_object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Controller *self = user_data;
  JobData *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  double *values = g_task_propagate_pointer (G_TASK (result), &error);

  g_assert_cmpuint (self->pending, >, 0);
  self->pending--;

  if (values == NULL)
    {
      /* Only a superseded job may be cancelled, and only by its cancellable. */
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_cmpuint (job->serial, <, self->serial);
      self->n_cancelled++;
      return;
    }

  /* Whatever completes is exact, even when it is no longer wanted. */
  g_assert_cmpmem (values, spec_length (&job->spec) * sizeof (double),
                   fixture_expected (self->fixture, &job->spec),
                   spec_length (&job->spec) * sizeof (double));
  if (job->serial != self->serial)
    {
      self->n_superseded++;
      g_free (values);
      return;
    }
  g_free (self->shown);
  self->shown = values;
  self->shown_serial = job->serial;
  self->n_completed++;
}

static void
controller_start (Controller    *self,
                  const JobSpec *spec)
{
  g_autoptr(GTask) task = NULL;
  JobData *job;

  if (self->current != NULL)
    g_cancellable_cancel (self->current);
  g_clear_object (&self->current);
  self->current = g_cancellable_new ();
  self->serial++;
  self->last_spec = *spec;

  job = g_new0 (JobData, 1);
  job->controller = self;
  job->example = attn_example_ref (self->example);
  job->graph = attn_graph_ref (self->graph);
  job->spec = *spec;
  job->serial = self->serial;

  task = g_task_new (NULL, self->current, job_done, self);
  /* Let results that beat their cancellation through, to check them too. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, job, job_data_free);
  g_task_run_in_thread (task, job_thread);
  self->pending++;
}

static void
random_spec (guint64 *state,
             JobSpec *spec)
{
  spec->kind = (JobKind) (next_uniform (state) * N_JOB_KINDS);
  spec->layer = 1 + (guint) (next_uniform (state) * STRESS_LAYERS);
  spec->position = (guint) (next_uniform (state) * STRESS_TOKENS);
  spec->n_threads = next_uniform (state) < 0.5 ? 0 : 1;
}

typedef struct
{
  const Fixture *fixture;
  guint64        seed;
  gboolean       drop_references; /* the window closes: the job keeps what it needs */
  guint          n_cancelled;
  guint          n_completed;
} ThreadArgs;

static gpointer
stress_thread (gpointer data)
{
  ThreadArgs *args = data;
  GMainContext *context = g_main_context_new ();
  Controller self = { 0 };
  guint64 state = args->seed;
  g_autofree double *fresh = NULL;
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (context);
  self.fixture = args->fixture;
  self.example = attn_example_ref (args->fixture->example);
  self.graph = attn_graph_ref (args->fixture->graph);

  for (guint i = 0; i < STRESS_JOBS_PER_THREAD; i++)
    {
      JobSpec spec;
      double u;

      random_spec (&state, &spec);
      controller_start (&self, &spec);

      /* Sometimes let results arrive, sometimes click again at once. */
      u = next_uniform (&state);
      if (u < 0.3)
        while (g_main_context_iteration (context, FALSE))
          ;
      else if (u < 0.4)
        g_usleep ((gulong) (next_uniform (&state) * 300));
    }

  if (args->drop_references)
    {
      /* Closing the window mid-computation: it gives up its references
       * while the jobs still hold theirs. */
      g_clear_pointer (&self.graph, attn_graph_unref);
      g_clear_pointer (&self.example, attn_example_unref);
    }

  while (self.pending > 0)
    g_main_context_iteration (context, TRUE);

  /* The last click was never cancelled, and is what is shown ... */
  g_assert_cmpuint (self.shown_serial, ==, self.serial);
  g_assert_nonnull (self.shown);

  /* ... equal to a fresh synchronous computation. */
  fresh = g_new (double, spec_length (&self.last_spec));
  g_assert_true (run_spec (args->fixture->example, args->fixture->graph, &self.last_spec,
                           fresh, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (self.shown, spec_length (&self.last_spec) * sizeof (double),
                   fresh, spec_length (&self.last_spec) * sizeof (double));
  g_assert_cmpuint (self.n_cancelled + self.n_completed + self.n_superseded, ==,
                    STRESS_JOBS_PER_THREAD);

  args->n_cancelled = self.n_cancelled;
  args->n_completed = self.n_completed;

  g_free (self.shown);
  g_clear_object (&self.current);
  g_clear_pointer (&self.graph, attn_graph_unref);
  g_clear_pointer (&self.example, attn_example_unref);
  g_main_context_pop_thread_default (context);
  g_main_context_unref (context);
  return NULL;
}

static void
run_stress (gboolean drop_references)
{
  Fixture fixture = { 0 };
  GThread *threads[STRESS_THREADS];
  ThreadArgs args[STRESS_THREADS];
  guint n_cancelled = 0;

  fixture_init (&fixture);
  for (guint t = 0; t < STRESS_THREADS; t++)
    {
      args[t] = (ThreadArgs) { &fixture, 1000 + 77 * t + (drop_references ? 5 : 0),
                               drop_references, 0, 0 };
      threads[t] = g_thread_new ("stress", stress_thread, &args[t]);
    }
  for (guint t = 0; t < STRESS_THREADS; t++)
    {
      g_thread_join (threads[t]);
      n_cancelled += args[t].n_cancelled;
    }
  g_test_message ("%u of %u jobs cancelled", n_cancelled,
                  STRESS_THREADS * STRESS_JOBS_PER_THREAD);
  fixture_clear (&fixture);
}

static void
test_stress_jobs (void)
{
  run_stress (FALSE);
}

static void
test_stress_close (void)
{
  run_stress (TRUE);
}

/* Cancelling a long flow from another thread at random moments: either it
 * stops with G_IO_ERROR_CANCELLED and leaves the output untouched, or it
 * finished first and the output is exact. */
typedef struct
{
  GCancellable *cancellable;
  gulong        delay_us;
} CancelArgs;

static gpointer
cancel_thread (gpointer data)
{
  CancelArgs *args = data;

  g_usleep (args->delay_us);
  g_cancellable_cancel (args->cancellable);
  return NULL;
}

static void
partial_count (guint         layer,
               guint         position,
               const double *values,
               double        fraction,
               gpointer      user_data)
{
  g_atomic_int_inc ((gint *) user_data);
}

static void
test_stress_cancel_flow_layer (void)
{
  const guint L = 6, n = 40;
  g_autoptr(AttnExample) example = synthetic_example (L, 2, n, 99);
  AttnGraphOptions graph_options = ATTN_GRAPH_OPTIONS_INIT;
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnGraph) graph = attn_graph_new (example, &graph_options, NULL, &error);
  g_autofree double *expected = g_new (double, (gsize) n * n);
  g_autofree double *out = g_new (double, (gsize) n * n);
  g_autofree double *sentinel = g_new (double, (gsize) n * n);
  guint n_cancelled = 0;

  g_assert_no_error (error);
  g_assert_true (attn_flow_layer (graph, L, NULL, expected, NULL, &error));
  g_assert_no_error (error);
  for (gsize i = 0; i < (gsize) n * n; i++)
    sentinel[i] = -1.;

  for (guint i = 0; i < 24; i++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      CancelArgs args = { cancellable, (gulong) (i * 250) };
      AttnFlowOptions options = { FALSE, i % 3, partial_count, NULL };
      gint partials = 0;
      GThread *thread;
      gboolean ok;

      options.user_data = &partials;
      memcpy (out, sentinel, (gsize) n * n * sizeof (double));
      if (i == 0)
        g_cancellable_cancel (cancellable);
      thread = g_thread_new ("cancel", cancel_thread, &args);
      ok = attn_flow_layer (graph, L, &options, out, cancellable, &error);
      g_thread_join (thread);
      if (ok)
        {
          g_assert_no_error (error);
          g_assert_cmpmem (out, (gsize) n * n * sizeof (double),
                           expected, (gsize) n * n * sizeof (double));
        }
      else
        {
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
          g_clear_error (&error);
          g_assert_cmpmem (out, (gsize) n * n * sizeof (double),
                           sentinel, (gsize) n * n * sizeof (double));
          n_cancelled++;
        }
    }
  /* Cancelled before it starts, it never computes. */
  g_assert_cmpuint (n_cancelled, >=, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/attn/core/stress/jobs", test_stress_jobs);
  g_test_add_func ("/attn/core/stress/close-mid-computation", test_stress_close);
  g_test_add_func ("/attn/core/stress/cancel-flow-layer", test_stress_cancel_flow_layer);

  return g_test_run ();
}
