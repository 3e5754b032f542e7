/* attn-cli.h: shared helpers of attnflow-cli
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "attn-core.h"

G_BEGIN_DECLS

/* The least --plot-size: the least size of the application's view of the
 * evaluation plot, ATTN_FIGURE_VIEW_MIN_WIDTH x ATTN_FIGURE_VIEW_MIN_HEIGHT
 * (the renderer's, which this program does not link; the figure module
 * checks that they agree) */
#define ATTN_CLI_PLOT_MIN_WIDTH  120
#define ATTN_CLI_PLOT_MIN_HEIGHT 80

/* Exit statuses: 0 success, 1 failure (bad file, bad selection), 2 usage error. */
#define ATTN_CLI_EXIT_OK      0
#define ATTN_CLI_EXIT_FAILURE 1
#define ATTN_CLI_EXIT_USAGE   2

typedef enum
{
  ATTN_CLI_FORMAT_TEXT = 1 << 0,
  ATTN_CLI_FORMAT_JSON = 1 << 1,
  ATTN_CLI_FORMAT_CSV  = 1 << 2,
} AttnCliFormat;

/* The graph settings shared by raw/rollout/flow/correlate/render, as given on
 * the command line (--weights, --residual, --heads, --head-mix). */
typedef struct
{
  char *weights_text;
  char *residual_text;
  char *heads;
  char *head_mix_text;
  char *weights_help;   /* --weights' help, listing the kinds */

  /* set by the command before attn_cli_graph_settings_add_entries (): --weights
   * may name several kinds ("all" or a list such as attention,alti) */
  gboolean           several_weights;

  /* parsed by attn_cli_graph_settings_check () */
  double             residual;
  AttnHeadMix        head_mix;
  AttnGraphSettings *settings;     /* of the first kind named */
  gboolean           all_weights;  /* "all": every kind the examples carry */
  guint              weights;      /* the kinds named, 1 << kind each */
} AttnCliGraphSettings;

/* Subcommands: argv[0] is the subcommand's name. Each returns an exit status. */
int           attn_cli_info                  (int                    argc,
                                              char                 **argv);
int           attn_cli_validate              (int                    argc,
                                              char                 **argv);
int           attn_cli_compute               (int                    argc,
                                              char                 **argv);
int           attn_cli_correlate             (int                    argc,
                                              char                 **argv);
int           attn_cli_antecedents           (int                    argc,
                                              char                 **argv);
int           attn_cli_render                (int                    argc,
                                              char                 **argv);

/* Option parsing and errors */
GOptionContext *attn_cli_option_context_new  (const char            *parameter_string,
                                              const char            *summary,
                                              const GOptionEntry    *entries);
void          attn_cli_add_entries           (GOptionContext        *context,
                                              const GOptionEntry    *entries);
gboolean      attn_cli_parse_options         (GOptionContext        *context,
                                              const char            *command,
                                              int                   *argc,
                                              char                ***argv);
int           attn_cli_usage_error           (const char            *command,
                                              const char            *format,
                                              ...) G_GNUC_PRINTF (2, 3);
int           attn_cli_file_count_error      (const char            *command,
                                              int                    argc,
                                              char                 **argv);
int           attn_cli_fail                  (const char            *command,
                                              const GError          *error);

gboolean      attn_cli_parse_format          (const char            *text,
                                              AttnCliFormat          allowed,
                                              AttnCliFormat         *format,
                                              GError               **error);
gboolean      attn_cli_check_given           (const char            *option,
                                              const char            *value,
                                              GError               **error);
gboolean      attn_cli_parse_double          (const char            *text,
                                              double                 min,
                                              double                 max,
                                              double                *value,
                                              gboolean              *underflow);
gboolean      attn_cli_check_not_folder      (const char            *path,
                                              const char            *option,
                                              const char            *instead,
                                              GError               **error);
gboolean      attn_cli_check_output_folder   (const char            *path,
                                              GError               **error);
void          attn_cli_set_number_error      (GError               **error,
                                              const char            *option,
                                              const char            *text,
                                              const char            *keyword);
void          attn_cli_set_absent_error      (GError               **error,
                                              AttnExample           *example,
                                              gboolean               layer,
                                              const char            *text,
                                              guint                  last);
gboolean      attn_cli_parse_option_number   (const char            *text,
                                              const char            *option,
                                              const char            *keyword,
                                              guint                 *value,
                                              GError               **error);
gboolean      attn_cli_parse_size            (const char            *text,
                                              const char            *option,
                                              guint                  min_width,
                                              guint                  min_height,
                                              double                *width,
                                              double                *height,
                                              GError               **error);
gboolean      attn_cli_parse_index           (const char            *text,
                                              const char            *what,
                                              gboolean              *all,
                                              guint                 *value,
                                              GError               **error);

gboolean      attn_cli_parse_methods         (const char            *text,
                                              AttnCorrelationMethods *methods,
                                              GError               **error);

void          attn_cli_graph_settings_add_entries (AttnCliGraphSettings *settings,
                                                   GOptionContext       *context);
gboolean      attn_cli_graph_settings_check  (AttnCliGraphSettings  *settings,
                                              GError               **error);
void          attn_cli_graph_settings_clear  (AttnCliGraphSettings  *settings);
gboolean      attn_cli_parse_weights         (const char            *text,
                                              gboolean               several,
                                              gboolean              *all,
                                              guint                 *kinds,
                                              GError               **error);

/* Examples */
AttnDocument *attn_cli_load                  (const char            *command,
                                              const char            *path,
                                              GError               **error);
AttnDocument *attn_cli_load_single_file      (GOptionContext        *context,
                                              const char            *command,
                                              int                   *argc,
                                              char                ***argv,
                                              int                   *status);
GPtrArray    *attn_cli_select_examples       (AttnDocument          *document,
                                              const char            *selection,
                                              GError               **error);

/* Output */
gboolean      attn_cli_stdout_is_terminal    (void);
void          attn_cli_append_json_string    (GString               *out,
                                              const char            *text);
void          attn_cli_append_json_number    (GString               *out,
                                              double                 value);
void          attn_cli_append_json_numbers   (GString               *out,
                                              const double          *values,
                                              gsize                  n);
void          attn_cli_append_csv_field      (GString               *out,
                                              const char            *text);
guint         attn_cli_text_width            (const char            *text);
void          attn_cli_append_padded         (GString               *out,
                                              const char            *text,
                                              guint                  width);
guint         attn_cli_count_weights         (guint                  kinds);
void          attn_cli_append_weights_table  (GString               *out,
                                              AttnCorrelationMethods methods,
                                              guint                  n_layers,
                                              const AttnWeightKind  *kinds,
                                              guint                  n_kinds,
                                              GPtrArray             *cells);
gboolean      attn_cli_write_stdout          (GString               *text,
                                              GError               **error);
void          attn_cli_append_json_settings  (GString                 *out,
                                              const AttnGraphSettings *settings);
void          attn_cli_append_json_layers    (GString               *out,
                                              guint                  n_layers);
void          attn_cli_append_json_method_counts  (GString                *out,
                                                   AttnCorrelationMethods  methods,
                                                   guint                   n_layers,
                                                   const guint            *counts);
void          attn_cli_append_json_method_numbers (GString                *out,
                                                   AttnCorrelationMethods  methods,
                                                   guint                   n_layers,
                                                   const double           *values);

/* Progress on stderr: when stderr is a terminal, or for runs longer than a few seconds */
typedef struct
{
  GMutex    mutex;
  char     *label;
  gint64    start;
  gint64    last;
  gboolean  tty;
  gboolean  shown;
} AttnCliProgress;

void          attn_cli_progress_init         (AttnCliProgress       *progress,
                                              const char            *label);
void          attn_cli_progress_update       (AttnCliProgress       *progress,
                                              double                 fraction,
                                              const char            *detail);
void          attn_cli_progress_update_job   (AttnCliProgress       *progress,
                                              guint                  job,
                                              guint                  n_jobs,
                                              double                 fraction);
void          attn_cli_progress_finish       (AttnCliProgress       *progress,
                                              gboolean               completed);

/* Commands with one result per weight kind (antecedents, correlate). Their
 * shared state is the first member of the command's own struct. */
typedef struct
{
  AttnCliGraphSettings    graph;
  char                   *method_text;
  char                   *format_text;

  AttnCliFormat           format;
  AttnCorrelationMethods  methods;

  AttnDocument           *document;    /* while running */
  AttnCliProgress         progress;
  guint                   job;         /* the weight kind being run, of n_jobs */
  guint                   n_jobs;
} AttnCliKindState;

/* What such a command does, in the order attn_cli_kinds_main() calls it */
typedef struct
{
  const char          *name;
  /* nullable: checks the command's own options, before the shared ones */
  gboolean           (*check)         (AttnCliKindState   *state,
                                       GError            **error);
  /* the kinds "--weights all" means for state->document */
  guint              (*carried_kinds) (AttnCliKindState   *state);
  gpointer           (*run)           (AttnCliKindState   *state,
                                       AttnGraphSettings  *settings,
                                       GError            **error);
  GDestroyNotify       free_result;
  /* nullable: after the runs, before the output */
  void               (*report)        (AttnCliKindState   *state,
                                       GPtrArray          *results);
  void               (*append_text)   (AttnCliKindState   *state,
                                       GString            *out,
                                       const char         *file,
                                       GPtrArray          *results);
  void               (*append_json)   (AttnCliKindState   *state,
                                       GString            *out,
                                       gpointer            result);
  /* the core's table of a result, with its settings (attn_csv_columns_init()) */
  void               (*append_csv)    (gconstpointer       result,
                                       GString            *out,
                                       AttnCsvFlags        flags);
  /* nullable: after the output */
  gboolean           (*save)          (AttnCliKindState   *state,
                                       const char         *file,
                                       GPtrArray          *results,
                                       GError            **error);
} AttnCliKindCommand;

int           attn_cli_kinds_main            (const AttnCliKindCommand *how,
                                              AttnCliKindState      *state,
                                              const char            *summary,
                                              const GOptionEntry    *entries,
                                              int                    argc,
                                              char                 **argv);

/* A closed output (a pipe whose reader is gone) cancels the work */
typedef struct _AttnCliOutputWatch AttnCliOutputWatch;

AttnCliOutputWatch *attn_cli_output_watch_new    (GCancellable          *cancellable);
gboolean      attn_cli_output_watch_closed   (AttnCliOutputWatch    *watch);
void          attn_cli_output_watch_free     (AttnCliOutputWatch    *watch);

G_END_DECLS
