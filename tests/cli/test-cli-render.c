/* test-cli-render.c: `attnflow-cli render`
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attn-render.h"
#include "attn-test-util.h"

static const char *cli;
static char *bert;
static char *sst2;
static char *pronouns;
static char *tmpdir;

static int
run (const char *args,
     char      **err)
{
  g_autofree char *command = g_strdup_printf ("%s render %s", cli, args);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status = -1;

  g_assert_true (g_spawn_command_line_sync (command, &out, err, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "");
  return g_spawn_check_wait_status (status, NULL) ? 0 : WEXITSTATUS (status);
}

static char *
tmp (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

static void
png_size (const char *path,
          int        *w,
          int        *h)
{
  cairo_surface_t *s = cairo_image_surface_create_from_png (path);

  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  *w = cairo_image_surface_get_width (s);
  *h = cairo_image_surface_get_height (s);
  cairo_surface_destroy (s);
}

static void
test_formats (void)
{
  static const char * const figures[] = {
    "--figure graph --view raw --position none",
    "--figure graph --view rollout",
    "--figure graph --view flow --example rabbit-turtle --sink 3",
    "--figure heatmap --view all --values",
    "--figure compare --view flow --example cat-mat --example rabbit-turtle",
  };

  for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
    {
      g_autofree char *p1 = tmp ("f1.png");
      g_autofree char *p2 = tmp ("f2.png");
      g_autofree char *svg = tmp ("f.svg");
      g_autofree char *pdf = tmp ("f.pdf");
      g_autofree char *a = g_strdup_printf ("%s %s --output %s", bert, figures[i], p1);
      g_autofree char *b = g_strdup_printf ("%s %s --scale 2 --output %s", bert, figures[i], p2);
      g_autofree char *c = g_strdup_printf ("%s %s --output %s", bert, figures[i], svg);
      g_autofree char *d = g_strdup_printf ("%s %s --output %s", bert, figures[i], pdf);
      g_autofree char *contents = NULL;
      int w1, h1, w2, h2;

      g_test_message ("render %s", figures[i]);
      g_assert_cmpint (run (a, NULL), ==, 0);
      g_assert_cmpint (run (b, NULL), ==, 0);
      g_assert_cmpint (run (c, NULL), ==, 0);
      g_assert_cmpint (run (d, NULL), ==, 0);
      png_size (p1, &w1, &h1);
      png_size (p2, &w2, &h2);
      g_assert_cmpint (w2, ==, 2 * w1);
      g_assert_cmpint (h2, ==, 2 * h1);

      g_assert_true (g_file_get_contents (svg, &contents, NULL, NULL));
      {
        g_autofree char *size = g_strdup_printf ("width=\"%dpx\" height=\"%dpx\"", w1, h1);

        g_assert_nonnull (strstr (contents, size));
      }
      g_clear_pointer (&contents, g_free);
      g_assert_true (g_file_get_contents (pdf, &contents, NULL, NULL));
      g_assert_true (g_str_has_prefix (contents, "%PDF-"));
    }
}

/* The text of a PDF's /Subject */
static char *
pdf_subject (const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GByteArray) text = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  text = attn_test_pdf_text (contents, len);
  return attn_test_pdf_string (text, "/Subject");
}

/* The text of an SVG's <desc> */
static char *
svg_desc (const char *path)
{
  g_autofree char *contents = NULL;
  const char *start, *end;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  start = strstr (contents, "<desc>");
  g_assert_nonnull (start);
  start += strlen ("<desc>");
  end = strstr (start, "</desc>");
  g_assert_nonnull (end);
  return g_strndup (start, end - start);
}

/* A graph that leaves edges out says which in its caption, its SVG <desc>
 * and its PDF subject; a heatmap draws no edges and says nothing of them */
static void
test_caption_edges (void)
{
  static const struct
  {
    const char *args;
    const char *said;
    const char *not_said;
  } cases[] = {
    { "--figure graph --view flow --top-k 3 --threshold 0.3", " · edges ≥ 0.3 × max, top 3 per node", "colour range" },
    { "--figure graph --view flow --top-k 8", " · top 8 edges per node", "edges ≥" },
    { "--figure graph --view flow --threshold 0.02", " · edges ≥ 0.02 × max", "per node" },
    { "--figure graph --view all --top-k 2 --color-scale global",
      " · top 2 edges per node · one colour range for all layers", "edges ≥" },
    { "--figure graph --view rollout", "example cat-mat", "edges" },
    /* more edges than any node has, however many: all of them, not said */
    { "--figure graph --view flow --top-k 99999999999999999999", "example cat-mat", "edges" },
    { "--figure heatmap --view flow --top-k 3 --threshold 0.3", "example cat-mat", "edges" },
  };
  g_autoptr(AttnDocument) doc = attn_document_load (bert, NULL, NULL);
  AttnFigureInput input = { attn_document_find_example (doc, "cat-mat", NULL), bert };
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  g_autoptr(AttnFigure) graph = NULL;
  g_autoptr(AttnFigure) heatmap = NULL;

  /* the library's figures */
  g_assert_nonnull (input.example);
  attn_figure_style_init (&style, FALSE);
  style.threshold = 0.3;
  style.top_k = 3;
  settings.method = ATTN_METHOD_FLOW;
  graph = attn_figure_build (&input, 1, &settings, &style, NULL, NULL);
  g_assert_true (g_str_has_suffix (attn_figure_get_caption (graph), " · edges ≥ 0.3 × max, top 3 per node"));
  settings.kind = ATTN_FIGURE_HEATMAP;
  heatmap = attn_figure_build (&input, 1, &settings, &style, NULL, NULL);
  g_assert_null (strstr (attn_figure_get_caption (heatmap), "edges"));

  /* the command's files */
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *svg = tmp ("caption.svg");
      g_autofree char *pdf = tmp ("caption.pdf");
      g_autofree char *a = g_strdup_printf ("%s %s --output %s", bert, cases[i].args, svg);
      g_autofree char *b = g_strdup_printf ("%s %s --output %s", bert, cases[i].args, pdf);
      g_autofree char *desc = NULL;
      g_autofree char *subject = NULL;

      g_test_message ("render %s", cases[i].args);
      g_assert_cmpint (run (a, NULL), ==, 0);
      g_assert_cmpint (run (b, NULL), ==, 0);
      desc = svg_desc (svg);
      subject = pdf_subject (pdf);
      g_assert_nonnull (subject);
      g_assert_cmpstr (desc, ==, subject);
      if (strstr (desc, cases[i].said) == NULL || strstr (desc, cases[i].not_said) != NULL)
        g_error ("the caption “%s” should say “%s” and not “%s”", desc, cases[i].said, cases[i].not_said);
    }
}

/* Saves @fig as PNG at @path, then runs @line (render's arguments after
 * the program and the command) and checks it drew @other byte for byte as @path */
static void
assert_line_draws (AttnFigure *fig,
                   const char *line,
                   const char *path,
                   const char *other)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  gsize la, lb;

  g_assert_true (attn_figure_save (fig, file, ATTN_EXPORT_PNG, 1, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("%s", line);
  g_assert_true (g_str_has_prefix (line, "attnflow-cli render "));
  g_assert_cmpint (run (line + strlen ("attnflow-cli render "), NULL), ==, 0);
  g_assert_true (g_file_get_contents (path, &a, &la, NULL));
  g_assert_true (g_file_get_contents (other, &b, &lb, NULL));
  g_assert_cmpmem (a, la, b, lb);
}

/* The app's "Copy command" line draws exactly the figure the library drew,
 * at its natural size and laid out at a size (--size) */
static void
test_command_line_reproduces (void)
{
  g_autoptr(AttnDocument) doc = attn_document_load (sst2, NULL, NULL);
  AttnFigureInput inputs[2] = {
    { attn_document_find_example (doc, "sst2-0123", NULL), sst2 },
    { attn_document_find_example (doc, "sst2-0825", NULL), sst2 },
  };
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  g_autofree char *direct = tmp ("direct.png");
  g_autofree char *via_cli = tmp ("via-cli.png");
  GError *error = NULL;

  g_assert_nonnull (inputs[0].example);
  attn_figure_style_init (&style, FALSE);
  style.top_k = 5;
  style.colormap = attn_colormap_from_name ("cividis");
  for (guint kind = 0; kind < 3; kind++)
    {
      g_autoptr(AttnFigure) fig = NULL;
      g_autoptr(AttnFigure) at_size = NULL;
      g_autofree char *line = NULL;
      g_autofree char *sized = NULL;

      settings.kind = kind;
      settings.method = ATTN_METHOD_ROLLOUT;
      settings.residual = 0.3;
      settings.heads = "1,2,7";
      settings.position = kind == ATTN_FIGURE_GRAPH ? 4 : ATTN_POSITION_FOCUS;
      /* a layer range, and a node below its top */
      settings.first_layer = 3;
      settings.last_layer = 11;
      settings.layer = kind == ATTN_FIGURE_GRAPH ? 7 : 0;
      fig = attn_figure_build (inputs, kind == ATTN_FIGURE_COMPARE ? 2 : 1, &settings, &style, NULL, &error);
      g_assert_no_error (error);

      line = attn_figure_command_line (inputs, kind == ATTN_FIGURE_COMPARE ? 2 : 1, &settings, &style,
                                       via_cli, 1, 0, 0);
      g_assert_nonnull (strstr (line, " --layers 3-11"));
      g_assert_true ((strstr (line, " --layer 7") != NULL) == (kind == ATTN_FIGURE_GRAPH));
      g_assert_null (strstr (line, "--size"));
      assert_line_draws (fig, line, direct, via_cli);

      at_size = attn_figure_new_at_size (fig, 700, 420);
      sized = attn_figure_command_line (inputs, kind == ATTN_FIGURE_COMPARE ? 2 : 1, &settings, &style,
                                        via_cli, 1, 700, 420);
      g_assert_nonnull (strstr (sized, " --size 700x420 "));
      assert_line_draws (at_size, sized, direct, via_cli);
    }
}

static gboolean
has_label (AttnFigure *figure,
           const char *text)
{
  for (guint i = 0; i < attn_figure_get_n_labels (figure); i++)
    if (g_strcmp0 (attn_figure_get_label (figure, i)->text, text) == 0)
      return TRUE;
  return FALSE;
}

/* Figures over other weights: their captions say so, and "Copy command"
 * (with --weights) draws them exactly */
static void
test_weights (void)
{
  g_autoptr(AttnDocument) doc = attn_document_load (pronouns, NULL, NULL);
  AttnFigureInput inputs[2] = {
    { attn_document_find_example (doc, "trophy-big", NULL), pronouns },
    { attn_document_find_example (doc, "trophy-small", NULL), pronouns },
  };
  static const struct
  {
    AttnFigureKind  kind;
    AttnMethod      method;
    AttnWeightKind  weights;
    guint           weight_kinds;
    const char     *argument;
    const char     *caption;
    const char     *block;
  } cases[] = {
    { ATTN_FIGURE_GRAPH, ATTN_METHOD_FLOW, ATTN_WEIGHT_KIND_ALTI, 0, " --weights alti ",
      "Attention flow · weights: ALTI · α does not apply (in the weights) · ", NULL },
    { ATTN_FIGURE_HEATMAP, ATTN_METHOD_ROLLOUT, ATTN_WEIGHT_KIND_NORM, 0, " --weights norm ",
      "Attention rollout · weights: Norm-based · α = 0.3 · ", "Attention rollout (Norm-based)" },
    { ATTN_FIGURE_HEATMAP, ATTN_METHOD_ROLLOUT, ATTN_WEIGHT_KIND_ATTENTION, 0x3f,
      " --weights attention,norm,globenc,alti,value-zeroing,attn-grad ",
      "weights: Attention, Norm-based, GlobEnc, ALTI, Value Zeroing, Attention × gradient (of norm of the "
      "top-layer state of “it” (token 11)) · α = 0.3 where it applies",
      "Value Zeroing" },
    { ATTN_FIGURE_COMPARE, ATTN_METHOD_FLOW, ATTN_WEIGHT_KIND_GLOBENC,
      1 << ATTN_WEIGHT_KIND_GLOBENC | 1 << ATTN_WEIGHT_KIND_ATTN_GRAD, " --weights globenc,attn-grad ",
      "weights: GlobEnc, Attention × gradient (of norm of the top-layer state of “it” (token 11)) · α = 0.3 "
      "where it applies", "Attention × gradient" },
  };
  g_autofree char *direct = tmp ("weights-direct.png");
  g_autofree char *via_cli = tmp ("weights-via-cli.png");
  AttnFigureStyle style;

  g_assert_nonnull (inputs[0].example);
  g_assert_nonnull (inputs[1].example);
  attn_figure_style_init (&style, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
      g_autoptr(AttnFigure) fig = NULL;
      g_autoptr(GFile) file = g_file_new_for_path (direct);
      g_autoptr(GError) error = NULL;
      g_autofree char *line = NULL;
      g_autofree char *a = NULL;
      g_autofree char *b = NULL;
      gsize la, lb;

      settings.kind = cases[i].kind;
      settings.method = cases[i].method;
      settings.weights = cases[i].weights;
      settings.weight_kinds = cases[i].weight_kinds;
      settings.residual = 0.3;
      fig = attn_figure_build (inputs, settings.kind == ATTN_FIGURE_COMPARE ? 2 : 1, &settings, &style,
                               NULL, &error);
      g_assert_no_error (error);
      if (strstr (attn_figure_get_caption (fig), cases[i].caption) == NULL)
        g_error ("“%s” not in the caption: %s", cases[i].caption, attn_figure_get_caption (fig));
      if (cases[i].block != NULL)
        g_assert_true (has_label (fig, cases[i].block));
      g_assert_true (attn_figure_save (fig, file, ATTN_EXPORT_PNG, 1, NULL, &error));

      line = attn_figure_command_line (inputs, settings.kind == ATTN_FIGURE_COMPARE ? 2 : 1, &settings,
                                       &style, via_cli, 1, 0, 0);
      g_test_message ("%s", line);
      g_assert_nonnull (strstr (line, cases[i].argument));
      g_assert_cmpint (run (line + strlen ("attnflow-cli render "), NULL), ==, 0);
      g_assert_true (g_file_get_contents (direct, &a, &la, NULL));
      g_assert_true (g_file_get_contents (via_cli, &b, &lb, NULL));
      g_assert_cmpuint (la, ==, lb);
      g_assert_true (memcmp (a, b, la) == 0);
    }

  /* --weights all: every kind the examples carry, as the list of them */
  {
    g_autofree char *args = g_strdup_printf ("%s --view rollout --figure heatmap --example trophy-big "
                                             "--residual 0.3 --weights all --output %s",
                                             pronouns, via_cli);
    g_autofree char *a = NULL;
    g_autofree char *b = NULL;
    gsize la, lb;

    g_assert_cmpint (run (args, NULL), ==, 0);
    g_assert_true (g_file_get_contents (via_cli, &b, &lb, NULL));
    g_free (args);
    args = g_strdup_printf ("%s --view rollout --figure heatmap --example trophy-big --residual 0.3 "
                            "--weights attention,norm,globenc,alti,value-zeroing,attn-grad --output %s",
                            pronouns, direct);
    g_assert_cmpint (run (args, NULL), ==, 0);
    g_assert_true (g_file_get_contents (direct, &a, &la, NULL));
    g_assert_cmpuint (la, ==, lb);
    g_assert_true (memcmp (a, b, la) == 0);
  }
}

static void
test_errors (void)
{
  g_autofree char *dir = tmp ("folder.png");
  g_autofree char *existing = tmp ("existing.png");
  g_autofree char *contents = NULL;
  struct { const char *args; int status; const char *message; } cases[] = {
    { "--view raw --output x.png", 2, "No input file" },
    { "BERT --output x.png", 2, "--view is required" },
    { "BERT --view raw", 2, "--output is required" },
    { "BERT --view sideways --output x.png", 2, "Unknown view" },
    { "BERT --view raw --output x.jpg", 2, ".png, .svg or .pdf" },
    { "BERT --view raw --figure pie --output x.png", 2, "Unknown figure" },
    { "BERT --view raw --colormap jet --output x.png", 2, "viridis" },
    { "BERT --view raw --scale 0 --output x.png", 2, "--scale" },
    { "BERT --view raw --threshold 2 --output x.png", 2, "--threshold" },
    { "BERT --view raw --top-k -1 --output x.png", 2, "--top-k" },
    { "BERT --view raw --residual 1.5 --output x.png", 2, "residual" },
    { "BERT --view raw --figure heatmap --position none --output x.png", 2, "--position none" },
    { "BERT --view raw --figure compare --example 0 --output x.png", 2, "2 to 4" },
    { "BERT --view raw --example 0 --example 1 --output x.png", 2, "once" },
    { "BERT --view raw --position 15 --output x.png", 1, "position 15" },
    { "BERT --view raw --example zebra --output x.png", 1, "zebra" },
    { "BERT --view raw --heads 12 --output x.png", 1,
      "Example “cat-mat”: head 12 does not exist: the model has 12 heads (0 to 11)" },
    { "BERT --view raw --figure compare --example nofile.json:0 --example 1 --output x.png", 1, "nofile.json" },
    { "nothing-here.json --view raw --output x.png", 1, "nothing-here.json" },
    { "BERT --view raw --weights alti --output x.png", 1, "Example “cat-mat” carries no “alti” weights (it carries: attention)" },
    { "BERT --view raw --weights alpha --output x.png", 2, "Unknown weights “alpha”: use one of attention, norm" },
    { "PRONOUNS --view flow --weights norm,alti --output x.png", 2, "--figure graph shows one weight kind" },
    { "PRONOUNS --view all --figure heatmap --weights all --output x.png", 2, "one --view method" },
    { "BERT --view raw --example zebra --output EXISTING", 1, "zebra" },
    { "BERT --view flow --weights '' --output x.png", 2, "Empty value for --weights" },
    { "BERT --view flow --heads '' --output x.png", 2, "Empty value for --heads" },
    { "BERT --view flow --sink 99 --output x.png", 1,
      "render: Example “cat-mat”: --sink 99: position 99 does not exist: the input has positions 0 to 14\n" },
    { "BERT --view flow --sink 99999999999999999999 --output x.png", 1,
      "render: Example “cat-mat”: --sink 99999999999999999999: position 99999999999999999999 does not exist" },
    { "BERT --view flow --sink 15 --output-dir DIR", 1,
      "render: Figure 1 of 2: Example “cat-mat”: --sink 15: position 15 does not exist: "
      "the input has positions 0 to 14\n" },
    { "BERT --view flow --sink 3 --position none --output x.png", 2,
      "it needs a selected position (--position P or the focus), not --position none" },
    { "BERT --view rollout --sink 3 --output x.png", 2, "--sink only applies to the flow graph" },
    { "BERT --view flow --figure heatmap --sink 3 --output x.png", 2, "--sink only applies to the flow graph" },
    { "BERT --view rollout --layers 3-14 --output x.png", 1,
      "render: Example “cat-mat”: layer 14 does not exist: the model has layers 1 to 12\n" },
    { "BERT --view rollout --layers 12-3 --output x.png", 2,
      "render: --layers: in “12-3”, 12 is past 3: a range goes from its first layer up to its last\n" },
    { "BERT --view rollout --heads 0,2-1 --output x.png", 2,
      "render: --heads: in “2-1”, 2 is past 1: a range goes from its first head up to its last\n" },
    { "BERT --view rollout --heads 0,x --output x.png", 2,
      "render: --heads: “0,x” is not a list of head numbers such as 0,3,5 or 0-5\n" },
    { "BERT --view rollout --layers 3-x --output x.png", 2, "Invalid value “3-x” for --layers" },
    { "BERT --view rollout --layers 3 --output x.png", 2, "Invalid value “3” for --layers" },
    /* layers are numbered from 1 in every file: layer 0 is a usage error */
    { "BERT --view rollout --layers 0-3 --output x.png", 2,
      "render: Invalid value “0-3” for --layers: expected FIRST-LAST, such as 3-12, from 1 up\n" },
    { "BERT --view rollout --layers 0-0 --output-dir DIR", 2,
      "render: Invalid value “0-0” for --layers: expected FIRST-LAST, such as 3-12, from 1 up\n" },
    { "BERT --view rollout --layers 13-99999999999999999999 --output x.png", 1,
      "render: Example “cat-mat”: layer 13 does not exist: the model has layers 1 to 12\n" },
    { "BERT --view rollout --layers 3-99999999999999999999 --output x.png", 1,
      "render: Example “cat-mat”: layer 99999999999999999999 does not exist: the model has layers 1 to 12\n" },
    { "BERT --view rollout --layers 3-12 --layer 02 --output x.png", 2,
      "render: --layer 2 is below --layers 3-12: the selected node is in a layer drawn or above them\n" },
    { "BERT --view rollout --layer 0 --output x.png", 2,
      "render: Invalid value “0” for --layer: expected a layer from 1 up\n" },
    { "BERT --view rollout --layer 00 --output-dir DIR", 2,
      "render: Invalid value “00” for --layer: expected a layer from 1 up\n" },
    { "BERT --view rollout --layer 13 --output-dir DIR", 1,
      "render: Figure 1 of 2: Example “cat-mat”: layer 13 does not exist: the model has layers 1 to 12\n" },
    { "BERT --view rollout --layer 99999999999999999999 --output x.png", 1,
      "render: Example “cat-mat”: layer 99999999999999999999 does not exist: the model has layers 1 to 12\n" },
    { "BERT --view rollout --position 99999999999999999999 --output x.png", 1,
      "render: Example “cat-mat”: position 99999999999999999999 does not exist: the input has positions 0 to 14\n" },
    { "BERT --view rollout --figure heatmap --position 18446744073709551616 --output x.png", 1,
      "render: Example “cat-mat”: position 18446744073709551616 does not exist: the input has positions 0 to 14\n" },
    { "BERT --view rollout --position 1e3 --output x.png", 2, "Invalid value “1e3” for --position" },
    { "BERT --view raw --figure compare --example cat-mat --example cat-mat --output x.png", 1,
      "render: Example “cat-mat” is named twice (--example cat-mat and --example cat-mat): "
      "a comparison needs different examples\n" },
    { "BERT --view raw --figure compare --example 1 --example 0 --example cat-mat --output x.png", 1,
      "render: Example “cat-mat” is named twice (--example 0 and --example cat-mat): "
      "a comparison needs different examples\n" },
    { "BERT --view rollout --figure compare --example 0 --example 1 --layer 3 --output x.png", 2,
      "--layer is the selected node’s layer: it applies to --figure graph or heatmap with a position" },
    { "BERT --view rollout --position none --layer 3 --output x.png", 2, "--layer is the selected node’s layer" },
    /* a folder for --output (it said “Cannot tell the figure format of “…”: the name must
     * end in .png, .svg or .pdf”): --output-dir was meant */
    { "BERT --view rollout --output PLAIN", 2,
      "plain-folder” is a folder: --output takes a file whose name ends in .png, .svg or .pdf (for "
      "one figure per example in that folder, give --output-dir instead)\n" },
    { "BERT --view rollout --output figures/", 2, "render: “figures/” is a folder: --output takes a file" },
    /* and a file for --output-dir (it was exit 1, “… is not a folder”, after the checks) */
    { "BERT --view rollout --output-dir EXISTING", 2,
      "existing.png” is not a folder: --output-dir takes a folder to save one figure per example in "
      "(for one figure in that file, give --output instead)\n" },
  };
  g_autofree char *plain = tmp ("plain-folder");

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (plain, 0755), ==, 0);
  g_assert_true (g_file_set_contents (existing, "keep me", -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *err = NULL;
      GString *args = g_string_new (cases[i].args);

      g_string_replace (args, "PRONOUNS", pronouns, 0);
      g_string_replace (args, "BERT", bert, 0);
      g_string_replace (args, "DIR", dir, 0);
      g_string_replace (args, "EXISTING", existing, 0);
      g_string_replace (args, "PLAIN", plain, 0);
      g_test_message ("render %s", args->str);
      g_assert_cmpint (run (args->str, &err), ==, cases[i].status);
      if (strstr (err, cases[i].message) == NULL)
        g_error ("“%s” not in: %s", cases[i].message, err);
      g_string_free (args, TRUE);
    }
  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));
  g_assert_true (g_file_get_contents (existing, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "keep me");

  /* a file that cannot be written: one sentence that names it once and the
   * cause (it said “Could not save the figure to “/proc/x.png”: Error
   * opening file “/proc/x.png”: No such file or directory”) */
  {
    g_autofree char *missing = g_build_filename (dir, "missing", "x.png", NULL);
    g_autofree char *args = g_strdup_printf ("%s --view flow --output %s", bert, missing);
    g_autofree char *expected = g_strdup_printf ("attnflow-cli render: Could not save the figure to “%s”: "
                                                 "its folder does not exist\n", missing);
    g_autofree char *err = NULL;

    g_assert_cmpint (run (args, &err), ==, 1);
    g_assert_cmpstr (err, ==, expected);
    g_clear_pointer (&args, g_free);
    g_clear_pointer (&expected, g_free);
    g_clear_pointer (&err, g_free);
    args = g_strdup_printf ("%s --view flow --output %s", bert, dir);
    /* a folder is a usage error, said as --plot says it (it was exit 1, “Could not save the
     * figure to “…”: Is a directory”) */
    expected = g_strdup_printf ("attnflow-cli render: “%s” is a folder: --output takes a file whose name ends "
                                "in .png, .svg or .pdf (for one figure per example in that folder, give "
                                "--output-dir instead)\nTry “attnflow-cli render --help”.\n", dir);
    g_assert_cmpint (run (args, &err), ==, 2);
    g_assert_cmpstr (err, ==, expected);
  }
}


static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/* The names of the files in @dir, sorted, joined by " " */
static char *
list_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

static guint
count (const char *haystack,
       const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* The done-when line of batch export: the five SST-2 flow graphs as SVG. */
static void
test_batch_svg (void)
{
  g_auto(AttnTestRun) r = { 0 };
  g_autofree char *dir = tmp ("batch-svg");
  g_autofree char *names = NULL;
  g_autoptr(AttnDocument) doc = attn_document_load (sst2, NULL, NULL);
  GString *expected_out = g_string_new (NULL);

  attn_test_run_cli (&r, "render", sst2, "--example", "all", "--view", "flow", "--output-dir", dir,
                     "--format", "svg", NULL);
  g_assert_cmpint (r.status, ==, 0);
  names = list_dir (dir);
  g_assert_cmpstr (names, ==, "sst2-0123-flow.svg sst2-0551-flow.svg sst2-0689-flow.svg "
                              "sst2-0825-flow.svg sst2-1125-flow.svg");
  /* one progress line on stderr; the files written on stdout, in file order */
  g_assert_cmpuint (count (r.err, "\n"), ==, 1);
  g_assert_true (g_str_has_prefix (r.err, "attnflow-cli render: 5 figures saved in "));
  for (guint i = 0; i < attn_document_get_n_examples (doc); i++)
    {
      AttnExample *ex = attn_document_get_example (doc, i);
      guint n = attn_example_get_n_tokens (ex), L = attn_example_get_n_layers (ex);
      g_autofree char *path = g_strdup_printf ("%s/%s-flow.svg", dir, attn_example_get_id (ex));
      g_autofree char *svg = NULL;

      g_string_append_printf (expected_out, "%s\n", path);
      g_assert_true (g_file_get_contents (path, &svg, NULL, NULL));
      /* vector: no image, at least a path per node, the example named in the metadata */
      g_assert_null (strstr (svg, "<image"));
      g_assert_cmpuint (count (svg, "<path"), >=, (L + 1) * n);
      g_assert_nonnull (strstr (svg, attn_example_get_id (ex)));
    }
  g_assert_cmpstr (r.out, ==, expected_out->str);
  g_string_free (expected_out, TRUE);
}

/* Batches of other weight kinds saved into one folder keep each other's
 * files: a list of kinds is named by them, all kinds by "weights" */
static void
test_batch_weights (void)
{
  static const char * const weights[] = { "attention", "alti", "norm,alti", "all" };
  g_autofree char *dir = tmp ("batch-weights");
  g_autofree char *names = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (weights); i++)
    {
      g_auto(AttnTestRun) r = { 0 };

      attn_test_run_cli (&r, "render", pronouns, "--example", "trophy-big", "--example", "trophy-small",
                         "--view", "rollout", "--figure", i < 2 ? "graph" : "heatmap", "--weights",
                         weights[i], "--output-dir", dir, NULL);
      g_assert_cmpint (r.status, ==, 0);
    }
  names = list_dir (dir);
  g_assert_cmpstr (names, ==, "trophy-big-rollout-alti.png trophy-big-rollout-norm-alti-heatmap.png "
                              "trophy-big-rollout-weights-heatmap.png trophy-big-rollout.png "
                              "trophy-small-rollout-alti.png trophy-small-rollout-norm-alti-heatmap.png "
                              "trophy-small-rollout-weights-heatmap.png trophy-small-rollout.png");
}

/* Ids made safe for file names; collisions numbered, also across files and case */
static void
test_batch_names (void)
{
  /* as JSON string literals */
  static const char * const ids[] = {
    "a/b", "a_b", "A_B", "../up", "", "with space", "-opt", "한국어 예", "tab\\there", NULL
  };
  g_auto(AttnTestRun) r = { 0 };
  g_autofree char *json = tmp ("names.json");
  g_autofree char *copy = tmp ("names-copy.json");
  g_autofree char *dir = tmp ("batch-names");
  g_autofree char *names = NULL;
  GString *text = g_string_new ("{\"format\": \"attnflow\", \"version\": 1, \"examples\": [");

  for (guint i = 0; ids[i] != NULL; i++)
    g_string_append_printf (text, "%s{\"id\": \"%s\", \"tokens\": [\"a\", \"b\"], "
                            "\"attention\": [[[0.5, 0.5], [0.25, 0.75]]]}", i ? ", " : "", ids[i]);
  /* and one without an id: named by its index */
  g_string_append (text, ", {\"tokens\": [\"a\", \"b\"], \"attention\": [[[0.5, 0.5], [0.25, 0.75]]]}]}");
  g_assert_true (g_file_set_contents (json, text->str, -1, NULL));

  /* the file and a copy: every id collides with itself */
  g_assert_true (g_file_set_contents (copy, text->str, -1, NULL));
  g_string_free (text, TRUE);
  attn_test_run_cli (&r, "render", json, copy, "--view", "rollout", "--output-dir", dir, NULL);
  g_assert_cmpint (r.status, ==, 0);
  names = list_dir (dir);
  /* "" is no id, named by its index (4) as the example without an id (9) is (it was
   * "example"); "../up" keeps no leading dot and no slash; "A_B" meets "a_b" on a
   * case-insensitive file system */
  g_assert_cmpstr (names, ==,
                   "4-2-rollout.png 4-rollout.png 9-2-rollout.png 9-rollout.png "
                   "A_B-3-rollout.png A_B-6-rollout.png _._up-2-rollout.png _._up-rollout.png "
                   "_opt-2-rollout.png _opt-rollout.png a_b-2-rollout.png a_b-4-rollout.png "
                   "a_b-5-rollout.png a_b-rollout.png "
                   "tab_here-2-rollout.png tab_here-rollout.png "
                   "with_space-2-rollout.png with_space-rollout.png "
                   "한국어_예-2-rollout.png 한국어_예-rollout.png");
  g_assert_cmpuint (count (r.out, "\n"), ==, 20);
}

/* An example named twice in a batch is saved once; FILE:ID takes a file by
 * its name when only one file given has it, and says which two otherwise */
static void
test_batch_repeated (void)
{
  g_auto(AttnTestRun) r = { 0 };
  g_auto(AttnTestRun) twice = { 0 };
  g_autofree char *dir = tmp ("batch-repeated");
  g_autofree char *copy = tmp ("bert-base-uncased.json");
  g_autofree char *contents = NULL;
  g_autofree char *names = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *message = NULL;

  attn_test_run_cli (&r, "render", bert, "--view", "rollout", "--output-dir", dir, "--example", "0",
                     "--example", "0", "--example", "bert-base-uncased.json:cat-mat",
                     "--example", "rabbit-turtle", NULL);
  g_assert_cmpint (r.status, ==, 0);
  names = list_dir (dir);
  g_assert_cmpstr (names, ==, "cat-mat-rollout.png rabbit-turtle-rollout.png");
  expected = g_strdup_printf ("%s/cat-mat-rollout.png\n%s/rabbit-turtle-rollout.png\n", dir, dir);
  g_assert_cmpstr (r.out, ==, expected);
  g_assert_true (g_str_has_prefix (r.err, "attnflow-cli render: 2 figures saved in "));

  g_assert_true (g_file_get_contents (bert, &contents, NULL, NULL));
  g_assert_true (g_file_set_contents (copy, contents, -1, NULL));
  attn_test_run_cli (&twice, "render", bert, copy, "--view", "rollout", "--figure", "compare",
                     "--example", "bert-base-uncased.json:cat-mat", "--example", "1",
                     "--output", "x.png", NULL);
  g_assert_cmpint (twice.status, ==, 1);
  message = g_strdup_printf ("attnflow-cli render: “bert-base-uncased.json” could be “%s” or “%s”: "
                             "give the path as on the command line\n", bert, copy);
  g_assert_cmpstr (twice.err, ==, message);
  g_assert_false (g_file_test ("x.png", G_FILE_TEST_EXISTS));
}

/* An id (or index) alone that examples of two of the files given have, as two
 * exports of one sentence set from two models have: an error that names both
 * files and the FILE:ID to write (it drew the first file's, unsaid); an id
 * that one file has is enough */
static void
test_example_in_two_files (void)
{
  g_autofree char *dir = tmp ("two-models");
  g_autofree char *other = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *output = tmp ("two-models.png");
  const char *specs[] = { "cat-mat", "1" };

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  other = g_build_filename (dir, "bert-base-uncased.json", NULL);
  g_assert_true (g_file_get_contents (bert, &contents, NULL, NULL));
  g_assert_true (g_file_set_contents (other, contents, -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      g_auto(AttnTestRun) r = { 0 };
      g_autofree char *message = NULL;

      attn_test_run_cli (&r, "render", bert, other, "--view", "rollout", "--example", specs[i],
                         "--output", output, NULL);
      g_assert_cmpint (r.status, ==, 1);
      message = g_strdup_printf ("attnflow-cli render: “%s” names an example of “%s” and one of "
                                 "“%s”: give it as FILE:ID, such as “%s:%s”\n",
                                 specs[i], bert, other, bert, specs[i]);
      g_assert_cmpstr (r.err, ==, message);
      g_assert_false (g_file_test (output, G_FILE_TEST_EXISTS));
    }
  {
    g_auto(AttnTestRun) file_id = { 0 };
    g_auto(AttnTestRun) one_has_it = { 0 };
    g_autofree char *spec = g_strconcat (other, ":cat-mat", NULL);

    attn_test_run_cli (&file_id, "render", bert, other, "--view", "rollout", "--example", spec,
                       "--output", output, NULL);
    g_assert_cmpint (file_id.status, ==, 0);
    attn_test_run_cli (&one_has_it, "render", bert, sst2, "--view", "rollout", "--example",
                       "sst2-0551", "--output", output, NULL);
    g_assert_cmpint (one_has_it.status, ==, 0);
  }
}

/* Two exports of cat-mat by two models: each graph, heatmap and their
 * comparison names the model (in the caption, so in the SVG <desc> and the
 * PDF subject) and the file; the figures of one id from two models were
 * told apart by nothing */
static void
test_two_models (void)
{
  static const char *figures[] = { "--figure graph --view flow", "--figure heatmap --view all" };
  const char *models[2] = { "bert-base-uncased", "distilbert-base-uncased (distilled, run 2)" };
  g_autofree char *dir = tmp ("other-model");
  g_autofree char *other = g_build_filename (dir, "bert-base-uncased.json", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) parts = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *svg = tmp ("model.svg");
  g_autofree char *pdf = tmp ("model.pdf");
  const char *paths[2] = { bert, other };

  g_assert_true (g_file_get_contents (bert, &contents, NULL, NULL));
  parts = g_strsplit (contents, "\"model\":\"bert-base-uncased\"", 2);
  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  copy = g_strdup_printf ("%s\"model\":\"%s\"%s", parts[0], models[1], parts[1]);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (other, copy, -1, NULL));

  for (guint f = 0; f < G_N_ELEMENTS (figures); f++)
    {
      g_autofree char *seen = NULL;

      for (guint i = 0; i < 2; i++)
        {
          g_autofree char *a = g_strdup_printf ("%s %s --example cat-mat --output %s", paths[i], figures[f], svg);
          g_autofree char *b = g_strdup_printf ("%s %s --example cat-mat --output %s", paths[i], figures[f], pdf);
          g_autofree char *desc = NULL;
          g_autofree char *subject = NULL;
          g_autofree char *end = g_strdup_printf (" · example cat-mat · model: %s · file: bert-base-uncased.json",
                                                  models[i]);

          g_test_message ("render %s %s", paths[i], figures[f]);
          g_assert_cmpint (run (a, NULL), ==, 0);
          g_assert_cmpint (run (b, NULL), ==, 0);
          desc = svg_desc (svg);
          subject = pdf_subject (pdf);
          g_assert_cmpstr (desc, ==, subject);
          if (!g_str_has_suffix (desc, end))
            g_error ("“%s” should end “%s”", desc, end);
          g_assert_cmpstr (desc, !=, seen);
          g_free (seen);
          seen = g_steal_pointer (&desc);
        }
    }
  {
    g_autofree char *spec_a = g_strconcat (bert, ":cat-mat", NULL);
    g_autofree char *spec_b = g_strconcat (other, ":cat-mat", NULL);
    g_autofree char *line = g_strdup_printf ("%s %s --figure compare --view flow --example %s --example %s --output %s",
                                             bert, other, spec_a, spec_b, pdf);
    g_autofree char *subject = NULL;
    g_autofree char *end = g_strdup_printf (" · models: %s, %s · files: examples/bert-base-uncased.json, "
                                            "other-model/bert-base-uncased.json", models[0], models[1]);

    g_assert_cmpint (run (line, NULL), ==, 0);
    subject = pdf_subject (pdf);
    if (!g_str_has_suffix (subject, end))
      g_error ("“%s” should end “%s”", subject, end);
  }
}

/* One file given twice, by the same path or another (a link to it): the
 * message says so, not that the id “could be” the file or the file (it said
 * ““cat-mat” names an example of “a.json” and one of “a.json””); into a
 * folder (no --example), before anything is drawn (each figure was saved
 * twice, once with “-2” in its name); a usage error, exit 2 (it was 1) */
static void
test_same_file_twice (void)
{
  g_autofree char *link = tmp ("same-file-link.json");
  g_autofree char *output = tmp ("same-file.png");
  g_autofree char *folder = tmp ("same-file-dir");
  g_autofree char *base = g_path_get_basename (bert);
  g_autofree char *by_name = g_strconcat (base, ":cat-mat", NULL);
  struct
  {
    const char *second;
    const char *spec;
  } cases[] = { { bert, "cat-mat" }, { bert, "1" }, { bert, by_name }, { link, "cat-mat" }, { bert, NULL } };

  g_unlink (link);
  g_assert_cmpint (symlink (bert, link), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(AttnTestRun) r = { 0 };
      g_autofree char *message = NULL;

      if (cases[i].spec != NULL)
        attn_test_run_cli (&r, "render", bert, cases[i].second, "--view", "rollout",
                           "--example", cases[i].spec, "--output", output, NULL);
      else
        attn_test_run_cli (&r, "render", bert, cases[i].second, "--view", "rollout",
                           "--output-dir", folder, NULL);
      g_assert_cmpint (r.status, ==, 2);
      if (cases[i].second == bert)
        message = g_strdup_printf ("attnflow-cli render: The same file “%s” is given twice: "
                                   "give each file once\nTry “attnflow-cli render --help”.\n", bert);
      else
        message = g_strdup_printf ("attnflow-cli render: “%s” and “%s” are the same file, given "
                                   "twice: give each file once\nTry “attnflow-cli render --help”.\n",
                                   bert, link);
      g_assert_cmpstr (r.err, ==, message);
      g_assert_false (g_file_test (output, G_FILE_TEST_EXISTS));
      g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));
    }
}

/* FILE:ID where the id holds colons: FILE is the part before the first colon
 * that names a file given (the last colon was taken, so "colon.json:run:2"
 * looked for the file "colon.json:run") */
static void
test_file_id_with_colon (void)
{
  static const char json[] =
    "{\"format\": \"attnflow\", \"version\": 1, \"examples\": ["
    " {\"id\": \"run:1\", \"tokens\": [\"w\", \"x\"], \"attention\": [[[1, 0], [0, 1]]]},"
    " {\"id\": \"run:2\", \"tokens\": [\"w\", \"x\"], \"attention\": [[[1, 0], [0, 1]]]}]}";
  g_autofree char *path = tmp ("colon.json");
  g_autofree char *dir = tmp ("batch-colon");
  g_autofree char *full = NULL;
  g_autofree char *expected = NULL;
  g_auto(AttnTestRun) r = { 0 };

  g_assert_true (g_file_set_contents (path, json, -1, NULL));
  full = g_strconcat (path, ":run:1", NULL);
  attn_test_run_cli (&r, "render", path, bert, "--view", "rollout", "--output-dir", dir,
                     "--example", "colon.json:run:2", "--example", full, NULL);
  g_assert_cmpint (r.status, ==, 0);
  expected = g_strdup_printf ("%s/run_2-rollout.png\n%s/run_1-rollout.png\n", dir, dir);
  g_assert_cmpstr (r.out, ==, expected);
}

static const char mixed_json[] =
  "{\"format\": \"attnflow\", \"version\": 1, \"examples\": ["
  " {\"id\": \"a\", \"tokens\": [\"w\",\"x\",\"y\",\"z\"], \"attention\": [[[1,0,0,0],[0,1,0,0],[0,0,1,0],[0,0,0,1]]]},"
  " {\"id\": \"b\", \"tokens\": [\"w\",\"x\",\"y\",\"z\"], \"attention\": [[[1,0,0,0],[0,1,0,0],[0,0,1,0],[0,0,0,1]]]},"
  " {\"id\": \"c\", \"tokens\": [\"w\",\"x\"], \"attention\": [[[1,0],[0,1]]]},"
  " {\"id\": \"d\", \"tokens\": [\"w\",\"x\",\"y\",\"z\"], \"attention\": [[[1,0,0,0],[0,1,0,0],[0,0,1,0],[0,0,0,1]]]}]}";

/* A failing example stops the batch with exit 1 and its name; nothing half-written stays */
static void
test_batch_failure (void)
{
  g_autofree char *json = tmp ("mixed.json");
  g_autofree char *dir = tmp ("batch-fail");
  g_autofree char *blocked = g_build_filename (dir, "b-flow.pdf", NULL);

  g_assert_true (g_file_set_contents (json, mixed_json, -1, NULL));

  /* the third example has two tokens: position 3 is not in it */
  {
    g_auto(AttnTestRun) r = { 0 };
    g_autofree char *names = NULL;

    attn_test_run_cli (&r, "render", json, "--example", "all", "--view", "flow", "--position", "3",
                       "--output-dir", dir, "--format", "pdf", NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_cmpstr (r.err, ==, "attnflow-cli render: Figure 3 of 4: Example “c”: position 3 does not "
                                "exist: the input has positions 0 to 1\n");
    names = list_dir (dir);
    g_assert_cmpstr (names, ==, "a-flow.pdf b-flow.pdf");
    g_assert_cmpuint (count (r.out, "\n"), ==, 2);
  }

  /* a folder where the second file goes: saving it fails, no temporary file is left */
  {
    g_auto(AttnTestRun) r = { 0 };
    g_autofree char *names = NULL;

    attn_test_run_cli (&r, "render", json, "--view", "flow", "--output-dir", dir,
                       "--format", "pdf", "--example", "b", "--example", "a", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpint (g_remove (blocked), ==, 0);
    g_assert_cmpint (g_mkdir (blocked, 0755), ==, 0);
    attn_test_run_clear (&r);
    attn_test_run_cli (&r, "render", json, "--view", "flow", "--output-dir", dir,
                       "--format", "pdf", NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_true (g_str_has_prefix (r.err, "attnflow-cli render: Example “b” (2 of 4): Could not save "
                                            "the figure to"));
    g_assert_nonnull (strstr (r.err, "b-flow.pdf"));
    names = list_dir (dir);
    g_assert_cmpstr (names, ==, "a-flow.pdf b-flow.pdf");
    g_assert_true (g_file_test (blocked, G_FILE_TEST_IS_DIR));
  }

  /* --sink and --layer fail as a position does: the figure named, those before it saved */
  {
    g_auto(AttnTestRun) r = { 0 };
    g_autofree char *sinks = tmp ("batch-fail-sink");
    g_autofree char *names = NULL;

    /* the format named in capitals: the files end in .svg all the same */
    attn_test_run_cli (&r, "render", json, "--example", "all", "--view", "flow", "--sink", "3",
                       "--output-dir", sinks, "--format", "SVG", NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_cmpstr (r.err, ==, "attnflow-cli render: Figure 3 of 4: Example “c”: --sink 3: position 3 "
                                "does not exist: the input has positions 0 to 1\n");
    names = list_dir (sinks);
    g_assert_cmpstr (names, ==, "a-flow.svg b-flow.svg");
    g_assert_cmpuint (count (r.out, "\n"), ==, 2);
    attn_test_run_clear (&r);
    attn_test_run_cli (&r, "render", json, "--example", "d", "--example", "a", "--view", "flow",
                       "--layer", "2", "--output-dir", sinks, NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_cmpstr (r.err, ==, "attnflow-cli render: Figure 1 of 2: Example “d”: layer 2 does not exist: "
                                "the model has layers 1 to 1\n");
    g_assert_cmpstr (r.out, ==, "");
  }

  /* the output folder is a file */
  {
    g_auto(AttnTestRun) r = { 0 };

    attn_test_run_cli (&r, "render", json, "--view", "raw", "--output-dir", json, NULL);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "is not a folder: --output-dir takes a folder"));
    g_assert_cmpstr (r.out, ==, "");
  }

  /* the output folder cannot be made: one sentence that names it once (GIO's
   * message named it again: “…: Error creating directory …: Not a directory”) */
  {
    g_auto(AttnTestRun) r = { 0 };
    g_autofree char *inside = g_build_filename (json, "figures", NULL);
    g_autofree char *expected = g_strdup_printf ("attnflow-cli render: Could not make the folder “%s”: "
                                                 "Not a directory\n", inside);

    attn_test_run_cli (&r, "render", json, "--view", "raw", "--output-dir", inside, NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_cmpstr (r.err, ==, expected);
  }
}

/* --output-dir FOLDER, or --output FOLDER/x.png (@one_file), a folder that
 * exists but cannot be written to: said at once, naming the folder or the
 * file, before the files are read (it drew the first figure and failed to
 * save it: “Example “cat-mat” (1 of 2): Could not save the figure to
 * “…/cat-mat-raw.png”: Permission denied”). Run as a user whom the folder's
 * mode binds, root too. */
static void
check_read_only_folder (const char *name,
                        gboolean    one_file)
{
  g_autofree char *folder = tmp (name);
  g_autofree char *file = g_build_filename (folder, "x.png", NULL);
  g_autofree char *missing = tmp ("no-such-input.json");
  g_autofree char *expected = NULL;
  g_autofree char *names = NULL;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  g_assert_cmpint (g_chmod (folder, 0555), ==, 0);
  expected = one_file
             ? g_strdup_printf ("attnflow-cli render: Could not save the figure to “%s”: "
                                "Permission denied\n", file)
             : g_strdup_printf ("attnflow-cli render: Could not save the figures in “%s”: "
                                "Permission denied\n", folder);
  /* an input file that does not exist: the folder is checked before the files are read */
  for (guint i = 0; i < 2; i++)
    {
      const char *args[] = { "render", i == 0 ? bert : missing, "--view", "raw",
                             one_file ? "--output" : "--output-dir", one_file ? file : folder, NULL };
      g_auto(AttnTestRun) r = { 0 };

      attn_test_run_cli_as_user_v (&r, args);
      g_assert_cmpint (r.status, ==, 1);
      g_assert_cmpstr (r.out, ==, "");
      g_assert_cmpstr (r.err, ==, expected);
    }
  names = list_dir (folder);
  g_assert_cmpstr (names, ==, "");
  g_assert_cmpint (g_chmod (folder, 0755), ==, 0);
}

static void
test_batch_read_only_folder (void)
{
  check_read_only_folder ("read-only", FALSE);
}

static void
test_output_read_only_folder (void)
{
  check_read_only_folder ("read-only-output", TRUE);
}

/* --output into a folder that does not exist: said at once too, as saving
 * said it (before the input file is read: it does not exist either) */
static void
test_output_missing_folder (void)
{
  g_autofree char *file = tmp ("no-such-folder/x.png");
  g_autofree char *missing = tmp ("no-such-input.json");
  g_autofree char *expected = g_strdup_printf ("attnflow-cli render: Could not save the figure to “%s”: "
                                               "its folder does not exist\n", file);
  g_auto(AttnTestRun) r = { 0 };

  attn_test_run_cli (&r, "render", missing, "--view", "flow", "--output", file, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_cmpstr (r.err, ==, expected);
}

/* attnflow-cli render BERT --view flow @option @value fails (exit 1) with
 * @message alone */
static void
assert_output_fails (const char *option,
                     const char *value,
                     const char *message)
{
  g_auto(AttnTestRun) r = { 0 };

  attn_test_run_cli (&r, "render", bert, "--view", "flow", option, value, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.err, ==, message);
}

/* Paths given relative stay relative: in the saved-files list and the
 * progress line of --output-dir, and in the messages of the output checks
 * (they showed the absolute path the argument resolved to). The test runs
 * in its temporary folder. */
static void
test_output_relative (void)
{
  g_autofree char *folder = tmp ("relout");
  g_autofree char *read_only = tmp ("relout-ro");
  g_auto(AttnTestRun) r = { 0 };
  g_auto(AttnTestRun) ro = { 0 };

  attn_test_run_cli (&r, "render", bert, "--view", "flow", "--example", "all", "--output-dir", "relout",
                     NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "relout/cat-mat-flow.png\nrelout/rabbit-turtle-flow.png\n");
  g_assert_nonnull (strstr (r.err, "2 figures saved in relout\n"));
  g_assert_true (g_file_test (folder, G_FILE_TEST_IS_DIR));

  assert_output_fails ("--output", "no-such-folder/x.png",
                       "attnflow-cli render: Could not save the figure to “no-such-folder/x.png”: "
                       "its folder does not exist\n");
  g_assert_cmpint (g_mkdir (read_only, 0555), ==, 0);
  attn_test_run_cli_as_user_v (&ro, (const char *[]) { "render", bert, "--view", "flow",
                                                       "--output-dir", "relout-ro", NULL });
  g_assert_cmpint (ro.status, ==, 1);
  g_assert_cmpstr (ro.err, ==, "attnflow-cli render: Could not save the figures in “relout-ro”: "
                               "Permission denied\n");
  g_assert_cmpint (g_chmod (read_only, 0755), ==, 0);
}

/* The messages of saving itself, after the checks, name paths as given
 * too (they named the absolute path the argument resolved to): a folder
 * that cannot be made, a file name too long (also one that is not UTF-8,
 * escaped as the other messages show it, the cause alone after it), a
 * figure of a folder that cannot be written, correlate's --plot. The test
 * runs in its temporary folder. */
static void
test_save_relative (void)
{
  g_autofree char *plain = tmp ("relsave-file");
  g_autofree char *busy = tmp ("relsave-busy");
  g_autofree char *taken = g_build_filename (busy, "cat-mat-flow.png", NULL);
  g_autofree char *rabbit = g_build_filename (busy, "rabbit-turtle-flow.png", NULL);
  g_autoptr(GString) long_name = g_string_new (NULL);
  g_autofree char *png = NULL;
  g_autofree char *not_utf8 = NULL;
  g_autofree char *expected = NULL;

  g_assert_true (g_file_set_contents (plain, "", 0, NULL));
  assert_output_fails ("--output-dir", "relsave-file/sub",
                       "attnflow-cli render: Could not make the folder “relsave-file/sub”: Not a directory\n");
  assert_output_fails ("--output-dir", "relsave-file/s\tub",
                       "attnflow-cli render: Could not make the folder “relsave-file/s\\tub”: "
                       "Not a directory\n");

  /* past the checks (the folder is there): the file's name is too long */
  for (guint i = 0; i < 300; i++)
    g_string_append_c (long_name, 'n');
  png = g_strconcat (long_name->str, ".png", NULL);
  expected = g_strdup_printf ("attnflow-cli render: Could not save the figure to “%s”: File name too long\n", png);
  assert_output_fails ("--output", png, expected);
  g_clear_pointer (&expected, g_free);
  not_utf8 = g_strconcat (long_name->str, "\xff.png", NULL);
  expected = g_strdup_printf ("attnflow-cli render: Could not save the figure to “%s\\xff.png”: "
                              "File name too long\n", long_name->str);
  assert_output_fails ("--output", not_utf8, expected);
  g_clear_pointer (&expected, g_free);

  /* a figure of --output-dir that cannot be written (a folder has its name) */
  g_assert_cmpint (g_mkdir_with_parents (taken, 0755), ==, 0);
  {
    g_auto(AttnTestRun) r = { 0 };

    attn_test_run_cli (&r, "render", bert, "--view", "flow", "--example", "all", "--output-dir",
                       "relsave-busy", NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_cmpstr (r.err, ==, "attnflow-cli render: Example “cat-mat” (1 of 2): Could not save the figure "
                                "to “relsave-busy/cat-mat-flow.png”: Is a directory\n");
    g_assert_false (g_file_test (rabbit, G_FILE_TEST_EXISTS));
  }

  /* correlate --plot */
  {
    g_auto(AttnTestRun) r = { 0 };

    expected = g_strdup_printf ("attnflow-cli correlate: Could not save the figure to “%s”: "
                                "File name too long\n", png);
    attn_test_run_cli (&r, "correlate", sst2, "--reference", "gradient", "--method", "raw", "--plot", png,
                       NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_cmpstr (r.err, ==, expected);
  }
}

/* --size WxH lays the figure out at that size: a graph is W x H pixels,
 * W·S x H·S with --scale S, as is each of a folder of them (--output-dir);
 * a heatmap or a comparison fills that width, twice as many pixels each
 * way at --scale 2. A size that is not two whole numbers from 1 to 32,767,
 * or the three methods' graphs side by side, is a usage error; so is one
 * under the application's smallest view of the figure, which the message
 * names (--size 10x10 drew a graph 10 pixels square). */
static void
test_size (void)
{
  static const char * const bad[] = {
    "0x10", "10x0", "10", "x10", "10x", "-5x10", "10x10x10", "1.5x10", "40000x10", "10X10", "' 10x10'", "''",
    "10x+10", "99999999999999999999x10", "32768x10",
  };
  static const char * const figures[] = { "--view flow", "--view all --figure heatmap",
                                          "--view rollout --figure compare --example 0 --example 1" };
  g_autofree char *out = tmp ("size.png");
  g_autofree char *dir = tmp ("size-dir");
  g_autofree char *err = NULL;
  int w, h, w2, h2;

  for (guint f = 0; f < G_N_ELEMENTS (figures); f++)
    {
      g_autofree char *one = g_strdup_printf ("%s %s --size 700x420 --output %s", bert, figures[f], out);
      g_autofree char *two = g_strdup_printf ("%s %s --size 700x420 --scale 2 --output %s", bert, figures[f], out);

      g_assert_cmpint (run (one, NULL), ==, 0);
      png_size (out, &w, &h);
      g_assert_cmpint (run (two, NULL), ==, 0);
      png_size (out, &w2, &h2);
      g_test_message ("%s at 700x420: %d x %d, at --scale 2 %d x %d", figures[f], w, h, w2, h2);
      g_assert_cmpint (w, ==, 700);
      if (f == 0)
        g_assert_cmpint (h, ==, 420);
      /* the README's figure: cat-mat's three heatmaps fill the height in
       * rows of whole pixels, 24 rows (two blocks of 12 layers, one over
       * the other): a pixel more a row would make them 422 high */
      if (f == 1)
        g_assert_cmpint (h, ==, 398);
      g_assert_cmpint (w2, ==, 2 * w);
      g_assert_cmpint (h2, ==, 2 * h);
    }
  /* the README's other figure: a box that shows the heatmaps only with text
   * under 9 px lays them out to be scrolled, as wide as the box with the
   * text at 9 px */
  {
    g_autofree char *low = g_strdup_printf ("%s --view all --figure heatmap --example cat-mat "
                                            "--size 609x131 --output %s", bert, out);

    g_assert_cmpint (run (low, NULL), ==, 0);
    png_size (out, &w, &h);
    g_assert_cmpint (w, ==, 747);
    g_assert_cmpint (h, ==, 226);
  }
  /* its natural size is another */
  {
    g_autofree char *natural = g_strdup_printf ("%s --view flow --output %s", bert, out);

    g_assert_cmpint (run (natural, NULL), ==, 0);
    png_size (out, &w, &h);
    g_assert_cmpint (w, !=, 700);
  }

  {
    g_auto(AttnTestRun) r = { 0 };
    g_autofree char *first = g_build_filename (dir, "cat-mat-raw.png", NULL);
    g_autofree char *second = g_build_filename (dir, "rabbit-turtle-raw.png", NULL);

    attn_test_run_cli (&r, "render", bert, "--view", "raw", "--example", "all", "--output-dir", dir,
                       "--size", "640x480", "--scale", "2", NULL);
    g_assert_cmpint (r.status, ==, 0);
    png_size (first, &w, &h);
    g_assert_cmpint (w, ==, 1280);
    g_assert_cmpint (h, ==, 960);
    png_size (second, &w, &h);
    g_assert_cmpint (w, ==, 1280);
    g_assert_cmpint (h, ==, 960);
  }

  g_assert_cmpint (g_remove (out), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *args = g_strdup_printf ("%s --view flow --size %s --output %s", bert, bad[i], out);

      g_clear_pointer (&err, g_free);
      g_assert_cmpint (run (args, &err), ==, 2);
      g_assert_nonnull (strstr (err, "for --size: expected WIDTHxHEIGHT in pixels, each a whole number from 1 to 32767"));
    }
  {
    static const struct { const char *figure, *size, *least; } small[] = {
      { "--view flow", "10x10", "240x180" }, { "--view flow", "239x600", "240x180" },
      { "--view flow", "600x179", "240x180" }, { "--view flow --figure heatmap", "10x10", "120x80" },
      { "--view rollout --figure compare --example 0 --example 1", "119x80", "120x80" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (small); i++)
      {
        g_autofree char *args = g_strdup_printf ("%s %s --size %s --output %s", bert, small[i].figure,
                                                 small[i].size, out);
        g_autofree char *expected = g_strdup_printf ("Invalid value “%s” for --size: too small to draw this "
                                                     "figure legibly; the smallest size accepted is %s",
                                                     small[i].size, small[i].least);

        g_clear_pointer (&err, g_free);
        g_assert_cmpint (run (args, &err), ==, 2);
        g_assert_nonnull (strstr (err, expected));
      }
    /* the least sizes are drawn */
    {
      g_autofree char *graph = g_strdup_printf ("%s --view flow --size 240x180 --output %s", bert, out);
      g_autofree char *heatmap = g_strdup_printf ("%s --view flow --figure heatmap --size 120x80 --output %s", bert, out);

      g_assert_cmpint (run (graph, NULL), ==, 0);
      png_size (out, &w, &h);
      g_assert_cmpint (w, ==, 240);
      g_assert_cmpint (h, ==, 180);
      g_assert_cmpint (run (heatmap, NULL), ==, 0);
      g_assert_cmpint (g_remove (out), ==, 0);
    }
  }
  {
    g_autofree char *args = g_strdup_printf ("%s --view all --size 900x500 --output %s", bert, out);

    g_clear_pointer (&err, g_free);
    g_assert_cmpint (run (args, &err), ==, 2);
    g_assert_nonnull (strstr (err, "not the graphs of --view all side by side"));
  }
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

static void
test_batch_usage (void)
{
  static const struct { const char *args; const char *message; } cases[] = {
    { "--view raw --output x.png --output-dir d", "either --output or --output-dir" },
    { "--view raw --output x.png --format svg", "--format goes with --output-dir" },
    { "--view raw --output-dir d --format gif", "Unknown format “gif”" },
    { "--view raw --output-dir d --figure compare --example 0 --example 1", "not a comparison" },
    { "--view raw --output x.png --example all", "--output-dir" },
    { "--view raw --output-dir ''", "Empty value for --output-dir" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *err = NULL;
      g_autofree char *args = g_strdup_printf ("%s %s", bert, cases[i].args);

      g_test_message ("render %s", args);
      g_assert_cmpint (run (args, &err), ==, 2);
      if (strstr (err, cases[i].message) == NULL)
        g_error ("“%s” not in: %s", cases[i].message, err);
    }
  g_assert_false (g_file_test ("d", G_FILE_TEST_EXISTS));
}

/* Runs attnflow-cli with @args (a command line after the program) and the
 * environment variable @name set to @value; its status and standard error. */
static int
run_with_env (const char  *name,
              const char  *value,
              const char  *args,
              char       **err)
{
  g_autofree char *command = g_strdup_printf ("%s %s", cli, args);
  g_auto(GStrv) argv = NULL;
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), name, value, TRUE);
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_assert_true (g_shell_parse_argv (command, NULL, &argv, &error));
  g_assert_true (g_spawn_sync (NULL, argv, envp, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, err,
                               &status, &error));
  g_assert_no_error (error);
  return g_spawn_check_wait_status (status, NULL) ? 0 : WEXITSTATUS (status);
}

/* The figure commands are a module: the other commands start without
 * cairo (the dynamic loader's list of what it loads); without the module
 * they still run, and the figure commands name the module they lack. */
static void
test_module (void)
{
  g_autofree char *svg = tmp ("module.svg");
  g_autofree char *plot = tmp ("module-plot.svg");
  g_autofree char *empty = tmp ("no-module");
  g_autofree char *broken = tmp ("broken-module");
  g_autofree char *broken_file = g_build_filename (broken, "attnflow-cli-figures.so", NULL);
  g_autofree char *flow = g_strdup_printf ("flow %s --position 0", bert);
  g_autofree char *render = g_strdup_printf ("render %s --view flow --output %s", bert, svg);
  g_autofree char *correlate = g_strdup_printf ("correlate %s --reference gradient --plot %s",
                                                sst2, plot);
  const char *dirs[] = { empty, broken };

  {
    g_autofree char *err = NULL;

    g_assert_cmpint (run_with_env ("LD_DEBUG", "libs", flow, &err), ==, 0);
    g_assert_nonnull (strstr (err, "libjson-glib"));
    g_assert_null (strstr (err, "libcairo"));
    g_assert_null (strstr (err, "attnflow-cli-figures"));
  }
  {
    g_autofree char *err = NULL;

    g_assert_cmpint (run_with_env ("LD_DEBUG", "libs", render, &err), ==, 0);
    g_assert_nonnull (strstr (err, "attnflow-cli-figures.so"));
    g_assert_nonnull (strstr (err, "libcairo"));
    g_assert_true (g_file_test (svg, G_FILE_TEST_IS_REGULAR));
  }

  g_assert_cmpint (g_mkdir_with_parents (empty, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (broken, 0755), ==, 0);
  g_assert_true (g_file_set_contents (broken_file, "not a module", -1, NULL));
  for (guint d = 0; d < G_N_ELEMENTS (dirs); d++)
    {
      g_autofree char *path = g_build_filename (dirs[d], "attnflow-cli-figures.so", NULL);
      g_autofree char *expected = g_strdup_printf ("Cannot load the figure module “%s”", path);
      g_autofree char *err1 = NULL;
      g_autofree char *err2 = NULL;
      g_autofree char *err3 = NULL;

      g_assert_cmpint (g_unlink (plot) == 0 || errno == ENOENT, ==, TRUE);
      g_assert_cmpint (run_with_env ("ATTNFLOW_MODULEDIR", dirs[d], render, &err1), ==, 1);
      g_assert_nonnull (strstr (err1, expected));
      g_assert_null (strstr (strstr (err1, path) + strlen (path), path)); /* named once */
      g_assert_cmpint (run_with_env ("ATTNFLOW_MODULEDIR", dirs[d], correlate, &err2), ==, 1);
      g_assert_nonnull (strstr (err2, expected));
      g_assert_false (g_file_test (plot, G_FILE_TEST_EXISTS));
      g_assert_cmpint (run_with_env ("ATTNFLOW_MODULEDIR", dirs[d], flow, &err3), ==, 0);
    }
  g_assert_cmpint (g_unlink (broken_file), ==, 0);
  g_assert_cmpint (g_rmdir (broken), ==, 0);
  g_assert_cmpint (g_rmdir (empty), ==, 0);
}

/* With one example's reference constant (its ρ NaN, left out of the means),
 * the plot's caption says the means are over 4 of the 5 examples, as the
 * table's heading does (it said “mean over 5 examples”) */
static void
test_plot_nan_count (void)
{
  g_autofree char *input = tmp ("sst2-nan.json");
  g_autofree char *plot = tmp ("nan-plot.svg");
  g_autofree char *correlate = g_strdup_printf ("%s correlate %s --reference gradient --plot %s",
                                                cli, input, plot);
  g_autofree char *out = NULL;
  g_autofree char *svg = NULL;
  g_autoptr(GError) error = NULL;
  int status = -1;
  const char *desc;

  attn_test_write_constant_reference (sst2, input, 2, "gradient");
  g_assert_true (g_spawn_command_line_sync (correlate, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  g_assert_true (g_file_get_contents (plot, &svg, NULL, &error));
  g_assert_no_error (error);
  desc = strstr (svg, "<desc>");
  g_assert_nonnull (desc);
  g_assert_nonnull (strstr (desc, "Lines: mean over 4 of 5 examples (1 NaN, a constant side, "
                                  "left out); bands: ± 1 sample std."));
  g_assert_null (strstr (desc, "mean over 5 examples"));
  g_unlink (plot);
  g_unlink (input);
}

/* The child gets the signals' default actions, whatever the test runner's */
static void
default_signals (gpointer data)
{
  signal (SIGINT, SIG_DFL);
  signal (SIGTERM, SIG_DFL);
}

/* Ctrl+C (SIGINT) or SIGTERM while a figure is written: the process ends by
 * the signal as before, the hidden file it wrote into is removed (it was
 * left beside the figure, .attnflow-save-…), and the figure that was there
 * is left as it was. The PNG at scale 8 takes seconds to write: the signal
 * comes once the hidden file is there. */
static void
test_interrupted (void)
{
  const int signals[] = { SIGINT, SIGTERM };
  g_autofree char *dir = tmp ("interrupted");
  g_autofree char *out = g_build_filename (dir, "figure.png", NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    {
      const char *argv[] = { cli, "render", bert, "--view", "raw", "--scale", "8", "--output", out, NULL };
      g_autoptr(GError) error = NULL;
      g_autofree char *names = NULL;
      g_autofree char *contents = NULL;
      gint64 end = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
      GPid pid;
      int status;

      g_assert_true (g_file_set_contents (out, "old figure", -1, NULL));
      g_assert_true (g_spawn_async (NULL, (char **) argv, NULL,
                                    G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
                                    G_SPAWN_STDERR_TO_DEV_NULL,
                                    default_signals, NULL, &pid, &error));
      g_assert_no_error (error);
      /* until the hidden file is there beside the figure */
      do
        {
          g_clear_pointer (&names, g_free);
          names = attn_test_list_folder (dir);
          if (g_str_has_prefix (names, ".attnflow-save-"))
            break;
          g_usleep (2000);
        }
      while (g_get_monotonic_time () < end);
      g_test_message ("while saving: %s", names);
      g_assert_true (g_str_has_prefix (names, ".attnflow-save-"));
      g_usleep (50000);

      g_assert_cmpint (kill (pid, signals[i]), ==, 0);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_spawn_close_pid (pid);
      g_assert_true (WIFSIGNALED (status));
      g_assert_cmpint (WTERMSIG (status), ==, signals[i]);
      g_clear_pointer (&names, g_free);
      names = attn_test_list_folder (dir);
      g_assert_cmpstr (names, ==, "figure.png");
      g_assert_true (g_file_get_contents (out, &contents, NULL, NULL));
      g_assert_cmpstr (contents, ==, "old figure");
    }
  g_assert_cmpint (g_unlink (out), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* A PNG too large at --size and --scale (a graph of one method takes that
 * size) is refused before the files are read and the figure computed, with
 * the message it got once computed: so a file that does not exist is not
 * what it says (it was, the PNG refused only after the compute) */
static void
test_png_too_large_first (void)
{
  g_autofree char *out = tmp ("too-large.png");
  g_autofree char *missing = tmp ("missing.json");
  g_autofree char *expected = g_strdup_printf ("attnflow-cli render: Could not save the figure to “%s”: At scale 8 "
                                               "the figure would be 40000 × 40000 pixels, more than the 32767 a "
                                               "PNG image can have on a side: use a scale of at most 6.55, or "
                                               "save it as SVG or PDF\n", out);
  const char *inputs[] = { bert, missing };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autofree char *args = g_strdup_printf ("%s --view flow --size 5000x5000 --scale 8 --output %s", inputs[i],
                                               out);
      g_autofree char *err = NULL;

      g_assert_cmpint (run (args, &err), ==, 1);
      g_assert_cmpstr (err, ==, expected);
      g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
    }
}

/* The label of @figure's column of token @index */
static const AttnLabel *
column_label (AttnFigure *figure,
              guint       index)
{
  for (guint i = 0; i < attn_figure_get_n_labels (figure); i++)
    if (attn_figure_get_label (figure, i)->kind == ATTN_LABEL_TOKEN_BOTTOM &&
        attn_figure_get_label (figure, i)->index == index)
      return attn_figure_get_label (figure, i);
  g_error ("no column label %u", index);
  return NULL;
}

/* A heatmap rendered at its natural size shows a token of 45 characters
 * whole, as the graph does, and is as high as its rotated label needs (it
 * was cut at 16, “pneumonoultramic…”, the PNG 338 pixels high); at --size,
 * shortened, within that size */
static void
test_whole_tokens (void)
{
  const char *word = "pneumonoultramicroscopicsilicovolcanoconiosis";
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "loader", "long-token.json", NULL);
  g_autoptr(AttnDocument) doc = attn_document_load (path, NULL, NULL);
  AttnFigureInput input = { NULL, path };
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  g_autofree char *out = tmp ("whole-tokens.png");
  g_autofree char *natural = g_strdup_printf ("%s --view flow --figure heatmap --output %s", path, out);
  g_autofree char *sized = g_strdup_printf ("%s --view flow --figure heatmap --size 900x300 --output %s", path, out);
  g_autoptr(AttnFigure) figure = NULL;
  g_autoptr(AttnFigure) at_size = NULL;
  const AttnLabel *label;
  double fw, fh;
  int w, h;

  g_assert_nonnull (doc);
  input.example = attn_document_get_example (doc, 0);
  g_assert_cmpstr (attn_example_get_token (input.example, 2), ==, word);
  attn_figure_style_init (&style, FALSE);
  settings.kind = ATTN_FIGURE_HEATMAP;
  settings.method = ATTN_METHOD_FLOW;
  figure = attn_figure_build (&input, 1, &settings, &style, NULL, NULL);
  g_assert_nonnull (figure);
  label = column_label (figure, 2);
  g_assert_cmpstr (label->text, ==, word);
  g_assert_true (has_label (figure, word));

  g_assert_cmpint (run (natural, NULL), ==, 0);
  png_size (out, &w, &h);
  attn_figure_get_size (figure, &fw, &fh);
  g_test_message ("natural: %d x %d; the label's bottom at %g", w, h, label->box.y + label->box.height);
  g_assert_cmpint (w, ==, (int) ceil (fw));
  g_assert_cmpint (h, ==, (int) ceil (fh));
  g_assert_cmpfloat (label->box.height, >, 200.);
  g_assert_cmpfloat (h, >, label->box.y + label->box.height);

  at_size = attn_figure_new_at_size (figure, 900., 300.);
  g_assert_cmpstr (column_label (at_size, 2)->text, ==, "pneumonoultramic…");
  g_assert_false (has_label (at_size, word));
  g_assert_cmpint (run (sized, NULL), ==, 0);
  png_size (out, &w, &h);
  g_assert_cmpint (w, ==, 900);
  g_assert_cmpint (h, <=, 300);
  g_assert_cmpint (g_unlink (out), ==, 0);
}

/* The words options take, in any case: the same figure, byte for byte (its
 * caption and metadata spell them as in lower case), and the same files */
static void
test_keywords_any_case (void)
{
  const char *figures[][2] = {
    { "--view flow --figure heatmap --weights norm,alti --colormap magma --head-mix max",
      "--view FLOW --figure Heatmap --weights Norm,ALTI --colormap MAGMA --head-mix Max" },
    { "--view rollout --position none --color-scale global --weights attn-grad",
      "--view Rollout --position NONE --color-scale GLOBAL --weights Attn-Grad" },
  };
  g_autofree char *lower = tmp ("keywords-lower.png");
  g_autofree char *other = tmp ("keywords-other.png");

  for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
    {
      g_autofree char *lower_args = g_strdup_printf ("%s --example 0 %s --output %s", pronouns,
                                                     figures[i][0], lower);
      g_autofree char *other_args = g_strdup_printf ("%s --example 0 %s --output %s", pronouns,
                                                     figures[i][1], other);
      g_autofree char *a = NULL;
      g_autofree char *b = NULL;
      gsize la, lb;

      g_assert_cmpint (run (lower_args, NULL), ==, 0);
      g_assert_cmpint (run (other_args, NULL), ==, 0);
      g_assert_true (g_file_get_contents (lower, &a, &la, NULL));
      g_assert_true (g_file_get_contents (other, &b, &lb, NULL));
      g_assert_cmpmem (a, la, b, lb);
    }

  /* --example ALL, --format SVG: every example, named as with all and svg */
  {
    g_auto(AttnTestRun) r = { 0 };
    g_autofree char *dir = tmp ("keywords-batch");
    g_autofree char *names = NULL;

    attn_test_run_cli (&r, "render", bert, "--example", "ALL", "--view", "Raw", "--figure",
                       "HEATMAP", "--output-dir", dir, "--format", "SVG", NULL);
    g_assert_cmpint (r.status, ==, 0);
    names = list_dir (dir);
    g_assert_cmpstr (names, ==, "cat-mat-raw-heatmap.svg rabbit-turtle-raw-heatmap.svg");
  }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  cli = g_getenv ("ATTNFLOW_CLI");
  if (cli == NULL)
    {
      g_printerr ("ATTNFLOW_CLI is not set\n");
      return 1;
    }
  bert = g_test_build_filename (G_TEST_DIST, "..", "data", "examples", "bert-base-uncased.json", NULL);
  sst2 = g_test_build_filename (G_TEST_DIST, "..", "data", "examples", "sst2-bert.json", NULL);
  pronouns = g_test_build_filename (G_TEST_DIST, "..", "data", "examples", "pronouns-minilm.json", NULL);
  tmpdir = attn_test_make_folder ("cli-render");
  g_assert_cmpint (g_chdir (tmpdir), ==, 0);

  g_test_add_func ("/attn/cli/render/formats", test_formats);
  g_test_add_func ("/attn/cli/render/command-line", test_command_line_reproduces);
  g_test_add_func ("/attn/cli/render/size", test_size);
  g_test_add_func ("/attn/cli/render/weights", test_weights);
  g_test_add_func ("/attn/cli/render/caption-edges", test_caption_edges);
  g_test_add_func ("/attn/cli/render/errors", test_errors);
  g_test_add_func ("/attn/cli/render/keywords-any-case", test_keywords_any_case);
  g_test_add_func ("/attn/cli/render/module", test_module);
  g_test_add_func ("/attn/cli/render/plot-nan-count", test_plot_nan_count);
  g_test_add_func ("/attn/cli/render/batch/svg", test_batch_svg);
  g_test_add_func ("/attn/cli/render/batch/names", test_batch_names);
  g_test_add_func ("/attn/cli/render/batch/weights", test_batch_weights);
  g_test_add_func ("/attn/cli/render/batch/failure", test_batch_failure);
  g_test_add_func ("/attn/cli/render/batch/read-only-folder", test_batch_read_only_folder);
  g_test_add_func ("/attn/cli/render/output/read-only-folder", test_output_read_only_folder);
  g_test_add_func ("/attn/cli/render/output/missing-folder", test_output_missing_folder);
  g_test_add_func ("/attn/cli/render/output/relative", test_output_relative);
  g_test_add_func ("/attn/cli/render/output/save-relative", test_save_relative);
  g_test_add_func ("/attn/cli/render/batch/repeated", test_batch_repeated);
  g_test_add_func ("/attn/cli/render/batch/file-id-with-colon", test_file_id_with_colon);
  g_test_add_func ("/attn/cli/render/example-in-two-files", test_example_in_two_files);
  g_test_add_func ("/attn/cli/render/two-models", test_two_models);
  g_test_add_func ("/attn/cli/render/same-file-twice", test_same_file_twice);
  g_test_add_func ("/attn/cli/render/batch/usage", test_batch_usage);
  g_test_add_func ("/attn/cli/render/interrupted", test_interrupted);
  g_test_add_func ("/attn/cli/render/png-too-large-first", test_png_too_large_first);
  g_test_add_func ("/attn/cli/render/whole-tokens", test_whole_tokens);

  status = g_test_run ();

  attn_test_drop_folder (tmpdir);
  g_free (bert);
  g_free (sst2);
  g_free (pronouns);
  return status;
}
