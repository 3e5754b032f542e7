/* attn-cli.c: shared helpers of attnflow-cli
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib-unix.h>

#include "attn-cli.h"

/* Progress: a terminal gets a live line; a pipe gets a line now and then once a
 * run has taken this long. */
#define PROGRESS_QUIET_USEC    (3 * G_USEC_PER_SEC)
#define PROGRESS_PIPE_USEC     (10 * G_USEC_PER_SEC)
#define PROGRESS_TTY_USEC      (G_USEC_PER_SEC / 10)

/* Whether stdout is a terminal (CSV then escapes control characters). */
gboolean
attn_cli_stdout_is_terminal (void)
{
  static int terminal = -1;

  if (terminal < 0)
    terminal = isatty (STDOUT_FILENO);
  return terminal;
}

/* The options of the command being run that take one value ("--layer",
 * "-o"), by the name they are given with, to their long name: GOption keeps
 * the last of two, where a second --heads or --position is most likely meant
 * to add to the first or is left over from a command line copied. */
static GHashTable *single_value_options;

/* Adds @entries to @context's main group and notes which take one value. */
void
attn_cli_add_entries (GOptionContext     *context,
                      const GOptionEntry *entries)
{
  if (single_value_options == NULL)
    single_value_options = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (const GOptionEntry *e = entries; e->long_name != NULL; e++)
    {
      if (e->arg == G_OPTION_ARG_NONE || e->arg == G_OPTION_ARG_STRING_ARRAY ||
          e->arg == G_OPTION_ARG_FILENAME_ARRAY || e->arg == G_OPTION_ARG_CALLBACK)
        continue;
      g_hash_table_insert (single_value_options, g_strconcat ("--", e->long_name, NULL),
                           g_strdup (e->long_name));
      if (e->short_name != 0)
        g_hash_table_insert (single_value_options, g_strdup_printf ("-%c", e->short_name),
                             g_strdup (e->long_name));
    }
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

GOptionContext *
attn_cli_option_context_new (const char         *parameter_string,
                             const char         *summary,
                             const GOptionEntry *entries)
{
  GOptionContext *context = g_option_context_new (parameter_string);

  g_option_context_set_summary (context, summary);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (entries != NULL)
    attn_cli_add_entries (context, entries);
  return context;
}

/* The long name of an option of one value given twice in @argv, or NULL */
static const char *
find_repeated_option (int    argc,
                      char **argv)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  if (single_value_options == NULL)
    return NULL;
  for (int i = 1; i < argc && !g_str_equal (argv[i], "--"); i++)
    {
      g_autofree char *name = g_strndup (argv[i], strcspn (argv[i], "="));
      const char *long_name = g_hash_table_lookup (single_value_options, name);

      if (long_name == NULL)
        continue;
      if (!g_hash_table_add (seen, (gpointer) long_name))
        return long_name;
      if (argv[i][strlen (name)] == '\0')
        i++; /* its value, whatever it looks like */
    }
  return NULL;
}

/* Parses the options of @command; on a usage error prints it and returns FALSE. */
gboolean
attn_cli_parse_options (GOptionContext   *context,
                        const char       *command,
                        int              *argc,
                        char           ***argv)
{
  g_autoptr(GError) error = NULL;
  /* looked for once GOption has parsed them, so that --help wins */
  g_auto(GStrv) given = g_strdupv (*argv);
  const char *repeated;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_clear_pointer (&single_value_options, g_hash_table_unref);
      attn_cli_usage_error (command, "%s", error->message);
      return FALSE;
    }
  repeated = find_repeated_option ((int) g_strv_length (given), given);
  if (repeated != NULL)
    attn_cli_usage_error (command, _("--%s is given more than once: give it once (it takes "
                                     "one value)"), repeated);
  g_clear_pointer (&single_value_options, g_hash_table_unref);
  return repeated == NULL;
}

int
attn_cli_usage_error (const char *command,
                      const char *format,
                      ...)
{
  g_autofree char *message = NULL;
  g_autofree char *shown = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  shown = attn_error_escape_text (message, -1);
  g_printerr ("attnflow-cli %s: %s\n", command, shown);
  /* translators: %s is a subcommand such as "rollout" */
  g_printerr (_("Try “attnflow-cli %s --help”."), command);
  g_printerr ("\n");
  return ATTN_CLI_EXIT_USAGE;
}

/**
 * attn_cli_file_count_error:
 * @command: the command's name, for its “--help” hint
 * @argc: the arguments left after the options, the command's name first
 * @argv: (array length=argc): those arguments
 *
 * The usage error of a command that takes exactly one FILE and was given
 * none or more: the first one too many is named (“rollout a.json b.json”).
 *
 * Returns: %ATTN_CLI_EXIT_USAGE
 */
int
attn_cli_file_count_error (const char  *command,
                           int          argc,
                           char       **argv)
{
  if (argc > 2)
    /* translators: the argument too many, then the FILE it follows */
    return attn_cli_usage_error (command, _("Expected exactly one FILE, but “%s” follows “%s”"),
                                 argv[2], argv[1]);
  return attn_cli_usage_error (command, "%s", _("Expected exactly one FILE"));
}

int
attn_cli_fail (const char   *command,
               const GError *error)
{
  g_autofree char *shown = attn_error_escape_text (error->message, -1);

  g_printerr ("attnflow-cli %s: %s\n", command, shown);
  return ATTN_CLI_EXIT_FAILURE;
}

static void
print_warnings (const char   *command,
                AttnDocument *document)
{
  const char * const *warnings = attn_document_get_warnings (document);

  for (guint i = 0; warnings != NULL && warnings[i] != NULL; i++)
    {
      /* translators: %s is a warning raised while loading a file */
      g_autofree char *line = g_strdup_printf (_("warning: %s"), warnings[i]);
      g_autofree char *shown = attn_error_escape_text (line, -1);

      g_printerr ("attnflow-cli %s: %s\n", command, shown);
    }
}

gboolean
attn_cli_parse_format (const char     *text,
                       AttnCliFormat   allowed,
                       AttnCliFormat  *format,
                       GError        **error)
{
  static const struct { const char *name; AttnCliFormat format; } formats[] = {
    { "text", ATTN_CLI_FORMAT_TEXT },
    { "json", ATTN_CLI_FORMAT_JSON },
    { "csv", ATTN_CLI_FORMAT_CSV },
  };
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      if ((allowed & formats[i].format) == 0)
        continue;
      if (attn_keyword_is (text, formats[i].name))
        {
          *format = formats[i].format;
          return TRUE;
        }
      if (names->len > 0)
        g_string_append (names, ", ");
      g_string_append (names, formats[i].name);
    }

  g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
               _("Unknown format “%s”: use one of %s"), text, names->str);
  return FALSE;
}

/**
 * attn_cli_check_given:
 * @option: the option's name, such as "--weights"
 * @value: (nullable): its value, %NULL when the option was not given
 *
 * An option given an empty value (`--heads ""`) is a mistake, not a request
 * for its default.
 *
 * Returns: %FALSE with @error set when @value is empty
 */
gboolean
attn_cli_check_given (const char  *option,
                      const char  *value,
                      GError     **error)
{
  if (value == NULL || *value != '\0')
    return TRUE;
  /* translators: %s is an option such as “--weights” */
  g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
               _("Empty value for %s: give a value or leave the option out"), option);
  return FALSE;
}

/**
 * attn_cli_parse_double:
 * @text: an option's value
 * @min: the smallest value taken
 * @max: the largest
 * @value: (out): the number
 *
 * A finite number from @min to @max, written in decimal: digits, a point,
 * an exponent and signs, as g_ascii_strtod() reads them. The other forms
 * g_ascii_strtod() takes are refused, as the loader refuses them in a file:
 * hexadecimal (“0x1”, “0x1p-1”), “inf”, “infinity” and “nan”. White space
 * around it is refused on both sides, as in the whole numbers
 * (attn_parse_number()): “ 0.5” as “0.5 ”. A number too large for a double
 * (1e400, read as infinite) is refused, and so is one too close to 0 for it,
 * which g_ascii_strtod() reads as 0 (1e-400, -1e-400): it is not 0, and
 * taking it as 0 would change what was asked for; *@underflow tells it apart,
 * for its own message. A zero written as one (0, -0, 0e-400) is 0.
 *
 * Returns: whether @text is such a number
 */
gboolean
attn_cli_parse_double (const char *text,
                       double      min,
                       double      max,
                       double     *value,
                       gboolean   *underflow)
{
  char *end = NULL;
  double v;

  *underflow = FALSE;
  if (*text == '\0' || strspn (text, "0123456789.eE+-") != strlen (text))
    return FALSE;
  errno = 0;
  v = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0')
    return FALSE;
  /* (a subnormal number may come with ERANGE too: it is not 0, and taken) */
  *underflow = v == 0. && errno == ERANGE;
  if (*underflow || !isfinite (v) || v < min || v > max)
    return FALSE;
  *value = v;
  return TRUE;
}

/**
 * attn_cli_set_number_error:
 * @option: "--layer", or an option of a position ("--position", "--sink")
 * @text: the value, not a number (attn_parse_number()) the option takes
 * @keyword: (nullable): the word the option also takes ("all", "none")
 *
 * Says what the option takes: a layer from 1 or a position from 0 (a
 * negative one is a number, not one of those), or @keyword.
 */
void
attn_cli_set_number_error (GError     **error,
                           const char  *option,
                           const char  *text,
                           const char  *keyword)
{
  gboolean layer = g_str_equal (option, "--layer");

  if (keyword != NULL)
    /* translators: a value, an option such as “--position”, then “all” or “none”, which stay
     * as they are */
    g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                 layer ? _("Invalid value “%s” for %s: expected a layer from 1 up, or “%s”")
                       : _("Invalid value “%s” for %s: expected a position from 0 up, or “%s”"),
                 text, option, keyword);
  else
    /* translators: a value, then an option such as “--sink” */
    g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                 layer ? _("Invalid value “%s” for %s: expected a layer from 1 up")
                       : _("Invalid value “%s” for %s: expected a position from 0 up"),
                 text, option);
}

/**
 * attn_cli_set_absent_error:
 * @example: the example
 * @layer: whether @text names a layer (else a position)
 * @text: the option's value, a number attn_parse_number() read
 * @last: the example's top layer, or its last position
 *
 * Says that the example has no such layer or position, and which it has.
 */
void
attn_cli_set_absent_error (GError      **error,
                           AttnExample  *example,
                           gboolean      layer,
                           const char   *text,
                           guint         last)
{
  const char *number = attn_number_digits (text);
  g_autofree char *name = attn_example_dup_message_name (example);

  if (layer)
    /* translators: the example (“cat-mat”, or 3 (no id)), a layer (a number, however large)
     * and the top one */
    g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                 _("Example %s: layer %s does not exist: the model has layers 1 to %u"),
                 name, number, last);
  else
    /* translators: the example (“cat-mat”, or 3 (no id)), a position (a number, however
     * large) and the last one */
    g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                 _("Example %s: position %s does not exist: the input has positions 0 to %u"),
                 name, number, last);
}

/**
 * attn_cli_parse_option_number:
 * @text: the value of @option
 * @option: "--layer", or an option of a position ("--position", "--sink")
 * @keyword: (nullable): the word the option also takes, for the message
 * @value: (out): the number
 *
 * A number attn_parse_number() reads, of a layer from 1 or a position
 * from 0: anything else is a usage error, whatever the file (layer 0 too).
 * One too large for the file's examples is not: it is checked with them.
 *
 * Returns: %FALSE with @error set (attn_cli_set_number_error()) when not
 */
gboolean
attn_cli_parse_option_number (const char  *text,
                              const char  *option,
                              const char  *keyword,
                              guint       *value,
                              GError     **error)
{
  if (!attn_parse_number (text, value) || (*value == 0 && g_str_equal (option, "--layer")))
    {
      attn_cli_set_number_error (error, option, text, keyword);
      return FALSE;
    }
  return TRUE;
}

/**
 * attn_cli_parse_size:
 * @text: the value of @option, WIDTHxHEIGHT
 * @option: "--size" or "--plot-size"
 * @min_width: the least width, the least of the application's view that
 *   shows the figure (%ATTN_GRAPH_VIEW_MIN_WIDTH for a graph)
 * @min_height: the least height
 * @width: (out): the width in pixels at 1x
 * @height: (out): the height
 *
 * A size a figure is laid out at: two whole numbers of pixels, each from 1
 * to cairo's largest image side, and no smaller than the application's view
 * of the figure (a graph was drawn at 10 x 10, unreadable).
 *
 * Returns: %FALSE with @error set (a usage error) when @text is not one
 */
gboolean
attn_cli_parse_size (const char  *text,
                     const char  *option,
                     guint        min_width,
                     guint        min_height,
                     double      *width,
                     double      *height,
                     GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (text, "x", 3);
  guint w, h;

  if (g_strv_length (parts) != 2 || !attn_parse_number (parts[0], &w) || !attn_parse_number (parts[1], &h) ||
      w < 1 || w > 32767 || h < 1 || h > 32767)
    {
      /* translators: the first %s is the value given, the second an option such as “--size” */
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                   _("Invalid value “%s” for %s: expected WIDTHxHEIGHT in pixels, each a whole number from 1 to 32767"),
                   text, option);
      return FALSE;
    }
  if (w < min_width || h < min_height)
    {
      /* translators: the first %s is the value given, the second an option
       * such as “--size”; then the least width and height (240x180) */
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                   _("Invalid value “%s” for %s: too small to draw this figure legibly; the smallest size "
                     "accepted is %ux%u, the application’s smallest view of it"),
                   text, option, min_width, min_height);
      return FALSE;
    }
  *width = w;
  *height = h;
  return TRUE;
}

/* "all" or a number for @what, "--position" or "--layer"
 * (attn_cli_parse_option_number()) */
gboolean
attn_cli_parse_index (const char  *text,
                      const char  *what,
                      gboolean    *all,
                      guint       *value,
                      GError     **error)
{
  *all = FALSE;
  if (attn_keyword_is (text, "all"))
    {
      *all = TRUE;
      return TRUE;
    }
  return attn_cli_parse_option_number (text, what, "all", value, error);
}

void
attn_cli_graph_settings_add_entries (AttnCliGraphSettings *settings,
                                     GOptionContext       *context)
{
  /* the kinds from the enum: attention, then every kind of contributions */
  guint contributions = ((1u << ATTN_N_WEIGHT_KINDS) - 1) & ~(1u << ATTN_WEIGHT_KIND_ATTENTION);
  guint last = 1u << (ATTN_N_WEIGHT_KINDS - 1);
  g_autofree char *middle = attn_weight_kinds_join (contributions & ~last, ", ");
  GOptionEntry entries[] = {
    { "weights", 0, 0, G_OPTION_ARG_STRING, &settings->weights_text, NULL, "KIND" },
    { "residual", 0, 0, G_OPTION_ARG_STRING, &settings->residual_text,
      N_("Residual weight α in [0, 1] (default 0.5, the paper; 0 = no residual)"), "A" },
    { "heads", 0, 0, G_OPTION_ARG_STRING, &settings->heads,
      N_("Heads to mix: “all” (default) or 0-based indices and ranges such as 0,3,5 or 0-5"), "all|I,J-K,…" },
    { "head-mix", 0, 0, G_OPTION_ARG_STRING, &settings->head_mix_text,
      N_("How heads are combined: mean (default) or max"), "mean|max" },
    { NULL }
  };

  G_STATIC_ASSERT (ATTN_WEIGHT_KIND_ATTENTION == 0 && ATTN_N_WEIGHT_KINDS >= 3);
  /* translators: the kinds of weights: “attention”, then “norm, globenc, alti,
   * value-zeroing” and “attn-grad”, the kinds of contributions */
  settings->weights_help = g_strdup_printf (_("What the edges weigh: %1$s (default), %2$s or %3$s, "
                                              "of the example’s contributions"),
                                            attn_weight_kind_get_name (ATTN_WEIGHT_KIND_ATTENTION),
                                            middle,
                                            attn_weight_kind_get_name (ATTN_N_WEIGHT_KINDS - 1));
  if (settings->several_weights)
    {
      char *one = settings->weights_help;

      /* translators: %s is the sentence above; “all” stays as it is */
      settings->weights_help = g_strdup_printf (_("%s; several as a list such as attention,alti, "
                                                  "or “all”"), one);
      g_free (one);
      entries[0].arg_description = "KIND[,KIND…]|all";
    }
  entries[0].description = settings->weights_help;
  attn_cli_add_entries (context, entries);
}

/**
 * attn_cli_parse_weights:
 * @text: a weight kind's name; with @several also "all" or a comma-separated list
 * @all: (out): whether @text is "all"
 * @kinds: (out): the kinds named, 1 << kind each (attention for "all")
 *
 * Returns: %FALSE with @error naming the known kinds for an unknown one, or
 *   saying @text is empty
 */
gboolean
attn_cli_parse_weights (const char  *text,
                        gboolean     several,
                        gboolean    *all,
                        guint       *kinds,
                        GError     **error)
{
  g_auto(GStrv) names = NULL;

  *all = FALSE;
  *kinds = 0;
  if (!attn_cli_check_given ("--weights", text, error))
    return FALSE;
  if (several && attn_keyword_is (text, "all"))
    {
      *all = TRUE;
      *kinds = 1 << ATTN_WEIGHT_KIND_ATTENTION;
      return TRUE;
    }
  /* one name, unless several are allowed */
  names = g_strsplit (text, ",", several ? -1 : 1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      AttnWeightKind kind;

      if (!attn_weight_kind_from_name (g_strstrip (names[i]), &kind))
        {
          g_autofree char *every = attn_weight_kinds_join ((1u << ATTN_N_WEIGHT_KINDS) - 1, ", ");
          g_autofree char *known = g_strconcat (every, several ? ", all" : NULL, NULL);

          /* translators: the second %s lists the kinds: attention, norm, globenc, … */
          g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                       _("Unknown weights “%s”: use one of %s"), names[i], known);
          return FALSE;
        }
      *kinds |= 1u << kind;
    }
  return TRUE;
}

/* Checks what can be checked without a file and makes @settings->settings;
 * the head indices and the weights are checked against each example when its
 * graph is built. */
gboolean
attn_cli_graph_settings_check (AttnCliGraphSettings  *settings,
                               GError               **error)
{
  AttnWeightKind first = ATTN_WEIGHT_KIND_ATTENTION;
  g_autoptr(GArray) heads = NULL;

  settings->weights = 1 << ATTN_WEIGHT_KIND_ATTENTION;
  settings->all_weights = FALSE;
  if (!attn_cli_check_given ("--heads", settings->heads, error))
    return FALSE;
  if (settings->weights_text != NULL &&
      !attn_cli_parse_weights (settings->weights_text, settings->several_weights,
                               &settings->all_weights, &settings->weights, error))
    return FALSE;
  while (first < ATTN_N_WEIGHT_KINDS && (settings->weights & (1u << first)) == 0)
    first++;

  settings->residual = 0.5;
  if (settings->residual_text != NULL)
    {
      double value;
      gboolean underflow;

      if (!attn_cli_parse_double (settings->residual_text, 0., 1., &value, &underflow))
        {
          if (underflow)
            g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                         /* translators: %s is a number such as 1e-400, not 0 but too small
                          * for a double */
                         _("Invalid residual weight “%s”: too close to 0 to be read as a "
                           "number (it would be taken as 0): expected a number from 0 to 1"),
                         settings->residual_text);
          else
            g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                         _("Invalid residual weight “%s”: expected a number from 0 to 1"),
                         settings->residual_text);
          return FALSE;
        }
      /* "-0" is α = 0: never echoed as -0 */
      settings->residual = value == 0. ? 0. : value;
    }

  settings->head_mix = ATTN_HEAD_MIX_MEAN;
  if (settings->head_mix_text != NULL &&
      !attn_head_mix_from_name (settings->head_mix_text, &settings->head_mix))
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                   _("Unknown head mixing “%s”: use mean or max"), settings->head_mix_text);
      return FALSE;
    }

  /* “all” in any case, as every keyword */
  if (settings->heads == NULL || attn_keyword_is (settings->heads, "all"))
    {
      g_free (settings->heads);
      settings->heads = g_strdup ("all");
    }
  /* the option named: “--heads: in “3-1”, 3 is past 1: …” */
  if (!attn_parse_heads_prefixed (settings->heads, G_MAXUINT, &heads, error))
    {
      g_prefix_error (error, "--heads: ");
      return FALSE;
    }
  g_clear_pointer (&settings->settings, attn_graph_settings_unref);
  settings->settings = attn_graph_settings_new_for_weights (first, settings->residual,
                                                            settings->head_mix, settings->heads,
                                                            error);
  return settings->settings != NULL;
}

void
attn_cli_graph_settings_clear (AttnCliGraphSettings *settings)
{
  g_clear_pointer (&settings->weights_text, g_free);
  g_clear_pointer (&settings->residual_text, g_free);
  g_clear_pointer (&settings->heads, g_free);
  g_clear_pointer (&settings->head_mix_text, g_free);
  g_clear_pointer (&settings->weights_help, g_free);
  g_clear_pointer (&settings->settings, attn_graph_settings_unref);
}

/* Loads @path for @command and prints the warnings of the loading, if any;
 * an error names @path first, as every message names a file
 * (attn_error_display_path(): a byte that is not UTF-8 as \xe9, as the
 * loader's message quotes it, where the display name put U+FFFD) */
AttnDocument *
attn_cli_load (const char  *command,
               const char  *path,
               GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  AttnDocument *document;

  document = attn_document_load (path, NULL, &local_error);
  if (document == NULL)
    {
      g_autofree char *display = attn_error_display_path (path);

      g_set_error (error, local_error->domain, local_error->code, "%s: %s",
                   display, local_error->message);
    }
  else
    print_warnings (command, document);
  return document;
}

/* The start of `attnflow-cli @command [OPTION…] FILE`: the options of
 * @context parsed, FILE loaded (attn_cli_load()). Returns the document, or
 * %NULL with the problem printed and *@status the exit status. */
AttnDocument *
attn_cli_load_single_file (GOptionContext   *context,
                           const char       *command,
                           int              *argc,
                           char           ***argv,
                           int              *status)
{
  g_autoptr(GError) error = NULL;
  AttnDocument *document;

  if (!attn_cli_parse_options (context, command, argc, argv))
    {
      *status = ATTN_CLI_EXIT_USAGE;
      return NULL;
    }
  if (*argc != 2)
    {
      *status = attn_cli_file_count_error (command, *argc, *argv);
      return NULL;
    }
  document = attn_cli_load (command, (*argv)[1], &error);
  if (document == NULL)
    *status = attn_cli_fail (command, error);
  return document;
}

/**
 * attn_cli_select_examples:
 * @selection: (nullable): an id, a 0-based index, "all", or %NULL for the first
 *
 * "all" in any case is every example, also in a file with an example of
 * that id (it is named by its index): the word means the same in every file.
 *
 * Returns: (transfer container) (element-type AttnExample): the examples
 */
GPtrArray *
attn_cli_select_examples (AttnDocument  *document,
                          const char    *selection,
                          GError       **error)
{
  g_autoptr(GPtrArray) examples = g_ptr_array_new ();
  guint n = attn_document_get_n_examples (document);

  if (n == 0)
    {
      g_set_error_literal (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                           _("The file holds no examples"));
      return NULL;
    }

  if (selection == NULL)
    g_ptr_array_add (examples, attn_document_get_example (document, 0));
  else if (attn_keyword_is (selection, "all"))
    {
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (examples, attn_document_get_example (document, i));
    }
  else
    {
      AttnExample *example = attn_document_find_example (document, selection, error);

      if (example == NULL)
        return NULL;
      g_ptr_array_add (examples, example);
    }

  return g_steal_pointer (&examples);
}

/* The characters JSON escapes by a letter, and those letters */
#define NAMED_ESCAPES  "\"\\\b\f\n\r\t"
#define ESCAPE_LETTERS "\"\\bfnrt"

/* A JSON string, as JSON escapes: the characters attn_error_escape_text() shows as
 * escapes are \u escapes here too (one above U+FFFF as its surrogate pair),
 * so that the output shows, and reads back to, the same text */
void
attn_cli_append_json_string (GString    *out,
                             const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      unsigned char c = (unsigned char) *p;
      const char *named = strchr (NAMED_ESCAPES, c);   /* c is not NUL */
      gunichar u = c < 0x80 ? c : g_utf8_get_char_validated (p, -1);

      if (named != NULL)
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, ESCAPE_LETTERS[named - NAMED_ESCAPES]);
        }
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\u%04x", c);
      else if (u >= 0x80 && u < 0x110000 && attn_unichar_is_escaped (u))
        {
          /* C1 controls too, which terminals may obey, and the bidi controls
           * and invisible characters */
          if (u <= 0xffff)
            g_string_append_printf (out, "\\u%04x", u);
          else
            g_string_append_printf (out, "\\u%04x\\u%04x", 0xd800 + ((u - 0x10000) >> 10),
                                    0xdc00 + ((u - 0x10000) & 0x3ff));
          p = g_utf8_next_char (p) - 1;
        }
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

/* As attn_append_number (), with NaN and infinities written as null. */
void
attn_cli_append_json_number (GString *out,
                             double   value)
{
  if (!isfinite (value))
    g_string_append (out, "null");
  else
    attn_append_number (out, value);
}

void
attn_cli_append_json_numbers (GString      *out,
                              const double *values,
                              gsize         n)
{
  g_string_append_c (out, '[');
  for (gsize i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      attn_cli_append_json_number (out, values[i]);
    }
  g_string_append_c (out, ']');
}

/**
 * attn_cli_text_width:
 * @text: UTF-8 text
 *
 * Returns: how many terminal columns @text takes: two for a wide character
 *   (Hangul, CJK), none for a combining or zero-width one, one for the rest
 */
guint
attn_cli_text_width (const char *text)
{
  guint width = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iszerowidth (c))
        continue;
      width += g_unichar_iswide (c) ? 2 : 1;
    }
  return width;
}

/* Appends @text, then spaces up to @width columns (attn_cli_text_width()),
 * for aligned columns. */
void
attn_cli_append_padded (GString    *out,
                        const char *text,
                        guint       width)
{
  g_string_append (out, text);
  for (guint i = attn_cli_text_width (text); i < width; i++)
    g_string_append_c (out, ' ');
}

/**
 * attn_cli_parse_methods:
 * @text: (nullable): raw, rollout, flow or all (%NULL: all)
 *
 * Parses a --method option.
 */
gboolean
attn_cli_parse_methods (const char              *text,
                        AttnCorrelationMethods  *methods,
                        GError                 **error)
{
  AttnMethod method;

  /* in any case, as a method's name */
  if (text == NULL || attn_keyword_is (text, "all"))
    {
      *methods = ATTN_CORRELATION_ALL;
      return TRUE;
    }
  if (attn_method_from_name (text, &method))
    {
      *methods = 1 << method;
      return TRUE;
    }
  g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
               _("Unknown method “%s”: use raw, rollout, flow or all"), text);
  return FALSE;
}

/* A CSV field (attn_append_table_field()) */
void
attn_cli_append_csv_field (GString    *out,
                           const char *text)
{
  g_autofree char *escaped = NULL;

  /* on a terminal, control characters are shown, not obeyed; in a file they
   * stay as they are (quoted) */
  if (attn_cli_stdout_is_terminal ())
    text = escaped = attn_error_escape_text (text, -1);
  attn_append_table_field (out, text, ',');
}

gboolean
attn_cli_write_stdout (GString  *text,
                       GError  **error)
{
  if (fwrite (text->str, 1, text->len, stdout) != text->len || fflush (stdout) != 0)
    {
      int saved = errno;

      g_set_error (error, ATTN_ERROR, ATTN_ERROR_IO, _("Could not write the output: %s"),
                   g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

void
attn_cli_progress_init (AttnCliProgress *progress,
                        const char      *label)
{
  g_mutex_init (&progress->mutex);
  progress->label = g_strdup (label);
  progress->start = g_get_monotonic_time ();
  progress->last = 0;
  progress->tty = isatty (STDERR_FILENO);
  progress->shown = FALSE;
}

/* Thread-safe. */
void
attn_cli_progress_update (AttnCliProgress *progress,
                          double           fraction,
                          const char      *detail)
{
  gint64 now = g_get_monotonic_time ();
  int percent = (int) floor (CLAMP (fraction, 0., 1.) * 100.);

  g_mutex_lock (&progress->mutex);
  if (progress->tty)
    {
      if (now - progress->last >= PROGRESS_TTY_USEC)
        {
          g_printerr ("\rattnflow-cli %s: %d%%%s%s\033[K", progress->label, percent,
                      detail ? " " : "", detail ? detail : "");
          progress->last = now;
          progress->shown = TRUE;
        }
    }
  else if (now - progress->start >= PROGRESS_QUIET_USEC &&
           (progress->last == 0 || now - progress->last >= PROGRESS_PIPE_USEC))
    {
      g_printerr ("attnflow-cli %s: %d%%%s%s\n", progress->label, percent,
                  detail ? " " : "", detail ? detail : "");
      progress->last = now;
    }
  g_mutex_unlock (&progress->mutex);
}

/* Thread-safe: progress @fraction of job @job (0-based) of @n_jobs, shown as
 * "job/n_jobs" when there are several. */
void
attn_cli_progress_update_job (AttnCliProgress *progress,
                              guint            job,
                              guint            n_jobs,
                              double           fraction)
{
  g_autofree char *detail = n_jobs > 1 ? g_strdup_printf ("%u/%u", job + 1, n_jobs) : NULL;

  attn_cli_progress_update (progress, (job + fraction) / n_jobs, detail);
}

/* @completed: whether the work ended whole. A terminal's line is erased; a
 * pipe that got progress lines gets a last one at 100%, so that a log does
 * not seem to stop short. */
void
attn_cli_progress_finish (AttnCliProgress *progress,
                          gboolean         completed)
{
  if (progress->tty && progress->shown)
    g_printerr ("\r\033[K");
  else if (!progress->tty && progress->last != 0 && completed)
    g_printerr ("attnflow-cli %s: 100%%\n", progress->label);
  g_clear_pointer (&progress->label, g_free);
  g_mutex_clear (&progress->mutex);
}

/* ---- a closed output stops the work ---- */

struct _AttnCliOutputWatch
{
  GThread      *thread;
  GCancellable *cancellable;
  int           wake[2];   /* written to when the watch is freed */
  gint          closed;    /* atomic */
};

static gpointer
output_watch_thread (gpointer data)
{
  AttnCliOutputWatch *watch = data;
  GPollFD fds[2] = { { STDOUT_FILENO, 0, 0 }, { watch->wake[0], G_IO_IN, 0 } };

  /* A pipe or socket whose reader is gone reports an error on the writer's side. */
  while (g_poll (fds, 2, -1) >= 0 || errno == EINTR)
    {
      if (fds[1].revents != 0)
        break;
      if (fds[0].revents & (G_IO_ERR | G_IO_HUP))
        {
          g_atomic_int_set (&watch->closed, 1);
          g_cancellable_cancel (watch->cancellable);
          break;
        }
    }
  return NULL;
}

/**
 * attn_cli_output_watch_new:
 * @cancellable: what to cancel when the output is closed
 *
 * When standard output is a pipe or a socket (`attnflow-cli ... | head`),
 * watches it from a thread while a long computation runs, and cancels
 * @cancellable as soon as the reader goes away, rather than at the next
 * write. Nothing is watched otherwise.
 *
 * Returns: (transfer full): the watch, for attn_cli_output_watch_free()
 */
AttnCliOutputWatch *
attn_cli_output_watch_new (GCancellable *cancellable)
{
  AttnCliOutputWatch *watch = g_new0 (AttnCliOutputWatch, 1);
  struct stat st;

  watch->cancellable = g_object_ref (cancellable);
  watch->wake[0] = watch->wake[1] = -1;
  if (fstat (STDOUT_FILENO, &st) == 0 && (S_ISFIFO (st.st_mode) || S_ISSOCK (st.st_mode))
      && g_unix_open_pipe (watch->wake, FD_CLOEXEC, NULL))
    watch->thread = g_thread_new ("attn-output-watch", output_watch_thread, watch);
  return watch;
}

/* TRUE when the watch saw the output closed (and cancelled the work). */
gboolean
attn_cli_output_watch_closed (AttnCliOutputWatch *watch)
{
  return g_atomic_int_get (&watch->closed);
}

void
attn_cli_output_watch_free (AttnCliOutputWatch *watch)
{
  if (watch->thread != NULL)
    {
      char byte = 0;

      if (write (watch->wake[1], &byte, 1) < 0)
        g_warning ("Could not stop the output watch: %s", g_strerror (errno));
      g_thread_join (watch->thread);
    }
  if (watch->wake[0] >= 0)
    {
      close (watch->wake[0]);
      close (watch->wake[1]);
    }
  g_object_unref (watch->cancellable);
  g_free (watch);
}
