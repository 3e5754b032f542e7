/* main.c: attnflow-cli, the command-line twin of the application
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "attn-cli-figures.h"

/* render lives in the figure module */
static int
render (int    argc,
        char **argv)
{
  g_autoptr(GError) error = NULL;
  const AttnCliFigures *figures = attn_cli_figures (&error);

  if (figures == NULL)
    return attn_cli_fail ("render", error);
  return figures->render (argc, argv);
}

typedef struct
{
  const char *name;
  int       (*run) (int argc, char **argv);
} Command;

static const Command commands[] = {
  { "info", attn_cli_info },
  { "validate", attn_cli_validate },
  { "raw", attn_cli_compute },
  { "rollout", attn_cli_compute },
  { "flow", attn_cli_compute },
  { "correlate", attn_cli_correlate },
  { "antecedents", attn_cli_antecedents },
  { "render", render },
};

/* A row of the usage: its words, then what it does (translated) from the
 * 29th column */
typedef struct
{
  const char *usage;
  const char *help;
} UsageRow;

static const UsageRow command_rows[] = {
  { "info FILE", N_("Summary: examples, model, n, L, H, warnings") },
  { "validate FILE", N_("Exit 0 if the file loads, else 1 and the error") },
  { "raw|rollout|flow FILE", N_("Importance of the input tokens for a node, per layer") },
  { "correlate FILE", N_("Spearman’s ρ of each method against a reference, per layer") },
  { "antecedents FILE", N_("How often each method prefers the pronoun’s first antecedent, per layer") },
  { "render FILE…", N_("Save a figure as PNG, SVG or PDF") },
};

static const UsageRow option_rows[] = {
  { "-h, --help", N_("Show this list of commands") },
  { "--version", N_("Show the version of attnflow-cli") },
};

static void
print_rows (FILE           *stream,
            const char     *heading,
            const UsageRow *rows,
            guint           n_rows)
{
  fprintf (stream, "\n%s\n", heading);
  for (guint i = 0; i < n_rows; i++)
    fprintf (stream, "  %s%*s%s\n", rows[i].usage, (int) (26 - g_utf8_strlen (rows[i].usage, -1)), "",
             _(rows[i].help));
}

static void
print_usage (FILE *stream)
{
  fprintf (stream, "%s\n", _("Usage: attnflow-cli COMMAND FILE [OPTION…]"));
  print_rows (stream, _("Commands:"), command_rows, G_N_ELEMENTS (command_rows));
  print_rows (stream, _("Options:"), option_rows, G_N_ELEMENTS (option_rows));
  fprintf (stream, "\n%s\n", _("Run “attnflow-cli COMMAND --help” for the options of a command."));
}

/* The command called @name, or %NULL */
static const Command *
find_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (name, commands[i].name))
      return &commands[i];
  return NULL;
}

/* The number of edits (a byte inserted, deleted or replaced, two next to
 * each other swapped) that turn @a into @b, up to @most: @most + 1 when it
 * takes more. For names of a few letters. */
static guint
edit_distance (const char *a,
               const char *b,
               guint       most)
{
  gsize m = strlen (a), n = strlen (b);
  g_autofree guint *d = NULL;

  if (m > n + most || n > m + most || m > 64 || n > 64)
    return most + 1;
  /* d[i * (n + 1) + j]: the distance of the first i bytes of a and j of b */
  d = g_new (guint, (m + 1) * (n + 1));
  for (gsize i = 0; i <= m; i++)
    for (gsize j = 0; j <= n; j++)
      {
        guint best = (guint) MAX (i, j);

        if (i > 0 && j > 0)
          {
            best = MIN (d[(i - 1) * (n + 1) + j], d[i * (n + 1) + j - 1]) + 1;
            best = MIN (best, d[(i - 1) * (n + 1) + j - 1] + (a[i - 1] != b[j - 1]));
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
              best = MIN (best, d[(i - 2) * (n + 1) + j - 2] + 1);
          }
        d[i * (n + 1) + j] = best;
      }
  return MIN (d[m * (n + 1) + n], most + 1);
}

/* The command @name is a slip of the keyboard away from (one edit for a
 * name of up to four letters, two for a longer one), or %NULL */
static const char *
close_command (const char *name)
{
  const char *closest = NULL;
  guint best = G_MAXUINT;

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      guint most = strlen (commands[i].name) <= 4 ? 1 : 2;
      guint distance = edit_distance (name, commands[i].name, most);

      if (distance <= most && distance < best)
        {
          closest = commands[i].name;
          best = distance;
        }
    }
  return closest;
}

static int
unknown_command (const char *name)
{
  g_autofree char *shown = attn_error_escape_text (name, -1);
  const char *closest = close_command (name);

  if (closest != NULL)
    /* translators: what the user typed as a command, and the command of that
     * name but for a letter or two, such as “rollout” for “rolout” */
    g_printerr (_("attnflow-cli: Unknown command “%s”; did you mean “%s”?"), shown, closest);
  else
    /* translators: %s is what the user typed as a command */
    g_printerr (_("attnflow-cli: Unknown command “%s”"), shown);
  g_printerr ("\n\n");
  print_usage (stderr);
  return ATTN_CLI_EXIT_USAGE;
}

static int
run_command (const Command  *command,
             int             argc,
             char          **argv)
{
  g_autofree char *prgname = g_strdup_printf ("attnflow-cli %s", command->name);

  /* "Usage: attnflow-cli rollout [OPTION…] FILE" in --help */
  g_set_prgname (prgname);
  return command->run (argc, argv);
}

int
main (int   argc,
      char *argv[])
{
  const char *name;
  const Command *command;

  attn_install_init_i18n ();
  g_set_prgname ("attnflow-cli");
  /* Ctrl+C while a figure is written leaves no hidden file beside it */
  attn_file_remove_on_signals ();

  if (argc < 2)
    {
      print_usage (stderr);
      return ATTN_CLI_EXIT_USAGE;
    }

  name = argv[1];
  if (g_str_equal (name, "help") && argc > 2)
    {
      /* “help COMMAND” is “COMMAND --help” (it printed the list of commands) */
      char *help_argv[] = { argv[2], (char *) "--help", NULL };

      command = find_command (argv[2]);
      return command != NULL ? run_command (command, 2, help_argv) : unknown_command (argv[2]);
    }
  if (g_str_equal (name, "--help") || g_str_equal (name, "-h") || g_str_equal (name, "help"))
    {
      print_usage (stdout);
      return ATTN_CLI_EXIT_OK;
    }
  if (g_str_equal (name, "--version"))
    {
      g_print ("attnflow-cli %s\n", PACKAGE_VERSION);
      return ATTN_CLI_EXIT_OK;
    }

  command = find_command (name);
  return command != NULL ? run_command (command, argc - 1, argv + 1) : unknown_command (name);
}
