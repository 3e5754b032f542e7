/* attn-figure-view-keys.c: the figure view's keys and its keyboard cell cursor
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Over a figure with heatmap cells (a heatmap, a comparison), the arrow
 * keys move a cell cursor, as they move the graph's cursor over its nodes:
 * the first shows it (on the top layer's first token, or where it was
 * or a click was),
 * the next move it a layer up or down, a token left or right, on into the
 * block beside at a block's edge; Home and End go to the block's first and
 * last token, Enter and Space select the cell's node, as a click does, and
 * Escape hides it, as the focus leaving does. The view pans to keep its
 * cell in sight, off the bands of labels kept in sight; the cell is
 * outlined over the figure (never in a saved one) and told, in words the
 * pointer's tooltip would use, in a bubble by it and in the view's
 * accessible description, until the pointer moves. Over other figures
 * (the evaluation plot) the arrow keys pan one larger than the view.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include <math.h>

#include "attn-figure-view-private.h"
#include "attn-gtk-util.h"

/* How far an arrow key pans a figure without cells, in pixels */
#define KEY_PAN_STEP 40.
/* The cursor's cell stays this far inside the view where it can, in pixels */
#define CURSOR_MARGIN 20.
/* Home and End: past the first and the last token */
#define TO_THE_END 100000
/* The readout's distance from its cell and the view's edges, and its
 * widest, in pixels */
#define READOUT_GAP 6
#define READOUT_MAX_WIDTH 480
/* The outline's least size: a column a quarter pixel wide is ringed too */
#define CURSOR_MIN_SIZE 6.

/* The cells of grid @g, in figure pixels */
static gboolean
grid_rect (AttnFigure *figure,
           guint       g,
           AttnRect   *rect)
{
  guint last, rows, n;
  AttnRect a, b;

  if (!attn_figure_get_grid_extent (figure, g, &last, &rows, &n) || rows > last + 1 ||
      !attn_figure_get_cell (figure, g, last, 0, &a) || !attn_figure_get_cell (figure, g, last + 1 - rows, n - 1, &b))
    return FALSE;
  *rect = (AttnRect) { a.x, a.y, b.x + b.width - a.x, b.y + b.height - a.y };
  return TRUE;
}

/* Puts the cursor on a cell of the figure: where it was, kept within its
 * grid, else the top left cell of the first grid with cells */
static gboolean
clamp_cursor (AttnFigureView *self)
{
  AttnFigure *figure = attn_figure_view_get_figure (self);
  guint last, rows, n, g, n_grids;

  if (figure == NULL)
    return FALSE;
  if (!attn_figure_get_grid_extent (figure, self->cursor_grid, &last, &rows, &n))
    {
      n_grids = attn_figure_get_n_grids (figure);
      for (g = 0; g < n_grids; g++)
        if (attn_figure_get_grid_extent (figure, g, &last, &rows, &n))
          break;
      if (g == n_grids)
        return FALSE;
      self->cursor_grid = g;
      self->cursor_layer = last;
      self->cursor_column = 0;
    }
  self->cursor_layer = CLAMP (self->cursor_layer, last + 1 - MIN (rows, last + 1), last);
  self->cursor_column = MIN (self->cursor_column, n - 1);
  return TRUE;
}

/* The cursor's cell, in figure pixels */
static gboolean
cursor_cell (AttnFigureView *self,
             AttnRect       *cell)
{
  return clamp_cursor (self) && attn_figure_get_cell (attn_figure_view_get_figure (self), self->cursor_grid,
                                                      self->cursor_layer, self->cursor_column, cell);
}

/* The grid beside grid @g on the side a step of (@dl, @dc) goes to (a
 * layer up: above), the nearest of those level with it (across) or under
 * or over it (up and down) */
static gboolean
neighbour_grid (AttnFigure *figure,
                guint       g,
                int         dl,
                int         dc,
                guint      *found)
{
  double best = G_MAXDOUBLE;
  AttnRect from, r;

  if (!grid_rect (figure, g, &from))
    return FALSE;
  for (guint i = 0; i < attn_figure_get_n_grids (figure); i++)
    {
      double d;

      if (i == g || !grid_rect (figure, i, &r))
        continue;
      if (dc != 0 && r.y < from.y + from.height && r.y + r.height > from.y)
        d = dc > 0 ? r.x - (from.x + from.width) : from.x - (r.x + r.width);
      else if (dl != 0 && r.x < from.x + from.width && r.x + r.width > from.x)
        d = dl > 0 ? from.y - (r.y + r.height) : r.y - (from.y + from.height);
      else
        continue;
      if (d > -0.5 && d < best)
        {
          best = d;
          *found = i;
        }
    }
  return best < G_MAXDOUBLE;
}

/* Steps the cursor out of its grid, by (@dl, @dc), into the grid beside:
 * level with its cell, at the edge it comes in by */
static gboolean
step_into_neighbour (AttnFigureView *self,
                     int             dl,
                     int             dc)
{
  AttnFigure *figure = attn_figure_view_get_figure (self);
  guint g = 0, last, rows, n;
  AttnRect cell, r;
  double at;

  if (!cursor_cell (self, &cell) || !neighbour_grid (figure, self->cursor_grid, dl, dc, &g) ||
      !grid_rect (figure, g, &r) || !attn_figure_get_grid_extent (figure, g, &last, &rows, &n))
    return FALSE;
  self->cursor_grid = g;
  if (dc != 0)
    {
      at = floor ((cell.y + cell.height / 2. - r.y) / (r.height / rows));
      self->cursor_layer = last - (guint) CLAMP (at, 0., rows - 1.);
      self->cursor_column = dc > 0 ? 0 : n - 1;
    }
  else
    {
      at = floor ((cell.x + cell.width / 2. - r.x) / (r.width / n));
      self->cursor_column = (guint) CLAMP (at, 0., n - 1.);
      self->cursor_layer = dl > 0 ? last + 1 - rows : last;
    }
  return TRUE;
}

/* How far to move [@a, @a + @len] to bring it within [@lo, @hi], a margin
 * inside where there is room; its start in sight where it is longer */
static double
shift_into (double a,
            double len,
            double lo,
            double hi)
{
  double m = MIN (CURSOR_MARGIN, MAX ((hi - lo - len) / 2., 0.)), d = 0.;

  if (a + len > hi - m)
    d = hi - m - (a + len);
  if (a + d < lo + m)
    d = lo + m - a;
  return d;
}

/* Pans the view to keep the cursor's cell in sight, off the bands of labels
 * kept in sight at the left and bottom edges (which come with the pan) */
static void
keep_in_sight (AttnFigureView *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  for (guint pass = 0; pass < 3; pass++)
    {
      g_autoptr(GArray) bands = NULL;
      double left = 0., bottom = height, dx, dy;
      graphene_rect_t r;

      if (!_attn_figure_view_get_cursor_rect (self, &r))
        return;
      bands = _attn_figure_view_get_pinned_bands (self);
      for (guint i = 0; i < bands->len; i++)
        {
          const AttnPinnedBand *p = &g_array_index (bands, AttnPinnedBand, i);
          const graphene_rect_t *c = &p->clip;

          if (p->band == ATTN_FIGURE_BAND_COLUMNS && c->origin.x < r.origin.x + r.size.width &&
              c->origin.x + c->size.width > r.origin.x)
            bottom = MIN (bottom, c->origin.y);
          else if (p->band == ATTN_FIGURE_BAND_ROWS && c->origin.y < r.origin.y + r.size.height &&
                   c->origin.y + c->size.height > r.origin.y)
            left = MAX (left, c->origin.x + c->size.width);
        }
      dx = shift_into (r.origin.x, r.size.width, left, width);
      dy = shift_into (r.origin.y, r.size.height, 0., bottom);
      if (fabs (dx) < 0.5 && fabs (dy) < 0.5)
        return;
      attn_zoomable_pan (ATTN_ZOOMABLE (self), dx, dy);
    }
}

/**
 * _attn_figure_view_refresh_cursor:
 *
 * Tells the cursor's cell again, of the figure shown now (after a new
 * figure, a key or the pointer): the readout's text, where it is shown,
 * and the view's accessible description; hides the cursor where the figure
 * has no cells.
 */
void
_attn_figure_view_refresh_cursor (AttnFigureView *self)
{
  AttnFigure *figure = attn_figure_view_get_figure (self);
  g_autofree char *text = NULL;
  gboolean was_told = gtk_widget_get_visible (self->readout) || self->cursor_shown;
  const char *caption;
  AttnRect cell;

  if (self->cursor_shown && cursor_cell (self, &cell))
    text = _attn_figure_view_describe_point (self, cell.x + cell.width / 2., cell.y + cell.height / 2.);
  self->cursor_shown = text != NULL;
  gtk_label_set_text (GTK_LABEL (self->readout), text != NULL ? text : "");
  gtk_widget_set_visible (self->readout, text != NULL && !self->pointer_moved);
  if (gtk_widget_get_visible (self->readout))
    gtk_widget_set_tooltip_text (GTK_WIDGET (self), NULL);
  if (text != NULL || was_told)
    {
      caption = figure != NULL ? attn_figure_get_caption (figure) : NULL;
      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      text != NULL ? text : caption != NULL ? caption : "", -1);
    }
  /* at once, not at the next frame: its size and place are those of the
   * text and cell now (a snapshot before that one found it unallocated) */
  _attn_figure_view_allocate_readout (self, gtk_widget_get_width (GTK_WIDGET (self)),
                                      gtk_widget_get_height (GTK_WIDGET (self)));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
hide_cursor (AttnFigureView *self)
{
  self->cursor_shown = FALSE;
  _attn_figure_view_refresh_cursor (self);
}

/* An arrow key (@args: a step of layers, of tokens), Home or End: moves the
 * cursor over a figure with cells (the first key shows it where it is),
 * else pans a figure larger than the view along the arrow's axis; else the
 * key goes on (to move the focus) */
static gboolean
move_key_cb (GtkWidget *widget,
             GVariant  *args,
             gpointer   user_data)
{
  AttnFigureView *self = ATTN_FIGURE_VIEW (widget);
  AttnFigure *figure = attn_figure_view_get_figure (self);
  guint last, rows, n;
  gint64 layer, column;
  double fig_w, fig_h, scale = attn_figure_view_get_scale (self);
  int dl, dc;

  g_variant_get (args, "(ii)", &dl, &dc);
  if (figure == NULL || scale <= 0.)
    return FALSE;
  if (!clamp_cursor (self))
    {
      attn_figure_get_size (figure, &fig_w, &fig_h);
      if (ABS (dc) == TO_THE_END || (dc != 0 && fig_w * scale <= gtk_widget_get_width (widget) + 0.5) ||
          (dl != 0 && fig_h * scale <= gtk_widget_get_height (widget) + 0.5))
        return FALSE;
      attn_zoomable_pan (ATTN_ZOOMABLE (self), -dc * KEY_PAN_STEP, dl * KEY_PAN_STEP);
      attn_show_keyboard_focus (widget);
      return TRUE;
    }
  attn_figure_get_grid_extent (figure, self->cursor_grid, &last, &rows, &n);
  layer = (gint64) self->cursor_layer + dl;
  column = (gint64) self->cursor_column + dc;
  if (ABS (dc) == TO_THE_END)
    self->cursor_column = (guint) CLAMP (column, 0, (gint64) n - 1);
  else if (!self->cursor_shown)
    ;
  else if (layer <= last && layer + rows > last && column >= 0 && column < n)
    {
      self->cursor_layer = (guint) layer;
      self->cursor_column = (guint) column;
    }
  else
    step_into_neighbour (self, dl, dc);
  self->cursor_shown = TRUE;
  self->pointer_moved = FALSE;
  keep_in_sight (self);
  _attn_figure_view_refresh_cursor (self);
  attn_show_keyboard_focus (widget);
  return TRUE;
}

/* Enter or Space: the cursor's cell is activated, as by a click; where
 * nothing follows a click (Compare Examples) the key goes on */
static gboolean
activate_key_cb (GtkWidget *widget,
                 GVariant  *args,
                 gpointer   user_data)
{
  AttnFigureView *self = ATTN_FIGURE_VIEW (widget);
  guint layer, position;

  if (!g_signal_has_handler_pending (self, g_signal_lookup ("cell-activated", ATTN_TYPE_FIGURE_VIEW), 0, TRUE) ||
      !_attn_figure_view_get_cursor (self, NULL, &layer, &position, NULL))
    return FALSE;
  g_signal_emit_by_name (self, "cell-activated", layer, position);
  attn_show_keyboard_focus (widget);
  return TRUE;
}

/* Escape hides the cursor; without one it goes on (to the window's) */
static gboolean
escape_key_cb (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  AttnFigureView *self = ATTN_FIGURE_VIEW (widget);

  if (!self->cursor_shown)
    return FALSE;
  hide_cursor (self);
  return TRUE;
}

static void
focus_leave_cb (GtkEventControllerFocus *controller,
                AttnFigureView          *self)
{
  if (self->cursor_shown)
    hide_cursor (self);
}

/**
 * _attn_figure_view_place_cursor:
 * @x: a point of the widget (a click)
 * @y:
 *
 * Puts the cursor on the heatmap cell there, if any, as a click puts the
 * graph's cursor on its node: the next arrow key starts from it.
 */
void
_attn_figure_view_place_cursor (AttnFigureView *self,
                                double          x,
                                double          y)
{
  AttnFigure *figure = attn_figure_view_get_figure (self);
  guint last, rows, n;
  double fx, fy;
  AttnRect r;

  if (figure == NULL || !_attn_figure_view_point_to_figure (self, x, y, &fx, &fy))
    return;
  for (guint g = 0; g < attn_figure_get_n_grids (figure); g++)
    if (grid_rect (figure, g, &r) && attn_figure_get_grid_extent (figure, g, &last, &rows, &n) &&
        fx >= r.x && fx < r.x + r.width && fy >= r.y && fy < r.y + r.height)
      {
        self->cursor_grid = g;
        self->cursor_layer = last - MIN ((guint) ((fy - r.y) / (r.height / rows)), rows - 1);
        self->cursor_column = MIN ((guint) ((fx - r.x) / (r.width / n)), n - 1);
        if (self->cursor_shown)
          _attn_figure_view_refresh_cursor (self);
        return;
      }
}

/**
 * _attn_figure_view_pointer_moved:
 * @x: where the pointer is, in the widget
 * @y:
 *
 * The pointer moved, or GTK tells again where it rests (after a change of
 * layout): where it moved, the pointer's tooltip tells its cell again, in
 * place of the cursor's readout (the two take turns); a pointer resting
 * where it was leaves the cursor's cell told (the graph's cursor text gave
 * way at once to a pointer resting on the graph).
 *
 * Returns: whether to leave the motion unheeded
 */
gboolean
_attn_figure_view_pointer_moved (AttnFigureView *self,
                                 double          x,
                                 double          y)
{
  if (!self->cursor_shown || self->pointer_moved)
    return FALSE;
  if (self->hovered && x == self->hover_x && y == self->hover_y)
    return TRUE;
  self->pointer_moved = TRUE;
  gtk_widget_set_visible (self->readout, FALSE);
  return FALSE;
}

/**
 * _attn_figure_view_allocate_readout:
 *
 * Puts the readout by the cursor's cell: under it, else over it, else at
 * the bottom, centred on it across, within the view.
 */
void
_attn_figure_view_allocate_readout (AttnFigureView *self,
                                    int             width,
                                    int             height)
{
  graphene_rect_t r = GRAPHENE_RECT_INIT (0, 0, width, 0);
  int min, nat, w, h, x, y;

  if (!gtk_widget_get_visible (self->readout))
    return;
  _attn_figure_view_get_cursor_rect (self, &r);
  gtk_widget_measure (self->readout, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  w = MAX (MIN (nat, MIN (READOUT_MAX_WIDTH, width - 2 * READOUT_GAP)), min);
  gtk_widget_measure (self->readout, GTK_ORIENTATION_VERTICAL, w, &h, NULL, NULL, NULL);
  y = (int) ceil (r.origin.y + r.size.height) + READOUT_GAP;
  if (y + h > height - READOUT_GAP)
    y = (int) floor (r.origin.y) - READOUT_GAP - h;
  if (y < READOUT_GAP)
    y = height - READOUT_GAP - h;
  x = (int) round (r.origin.x + r.size.width / 2. - w / 2.);
  x = MAX (MIN (x, width - READOUT_GAP - w), READOUT_GAP);
  gtk_widget_size_allocate (self->readout, &(GtkAllocation) { x, y, w, h }, -1);
}

/**
 * _attn_figure_view_snapshot_cursor:
 *
 * The cursor's outline: 2 px in the theme's accent (focus) colour, as the
 * graph's cursor ring, a pixel of the figure's background between it and
 * the cell (a cell of the accent's colour is still told apart), round the
 * cell, or a few pixels round the middle of a cell narrower than that
 */
void
_attn_figure_view_snapshot_cursor (AttnFigureView *self,
                                   GtkSnapshot    *snapshot)
{
  const AttnFigureStyle *style;
  graphene_rect_t r;
  GskRoundedRect ring;
  GdkRGBA accent[4], halo[4];
  const float accent_widths[4] = { 2, 2, 2, 2 }, halo_widths[4] = { 1, 1, 1, 1 };
  double grow_x, grow_y;

  if (!_attn_figure_view_get_cursor_rect (self, &r) || self->shown == NULL)
    return;
  style = attn_figure_get_style (self->shown);
  grow_x = MAX (CURSOR_MIN_SIZE - r.size.width, 0.) / 2.;
  grow_y = MAX (CURSOR_MIN_SIZE - r.size.height, 0.) / 2.;
  graphene_rect_inset (&r, -grow_x, -grow_y);
  attn_get_accent_color (GTK_WIDGET (self), &accent[0]);
  accent[1] = accent[2] = accent[3] = accent[0];
  halo[0] = (GdkRGBA) { style->background.red, style->background.green, style->background.blue, 1. };
  halo[1] = halo[2] = halo[3] = halo[0];
  graphene_rect_inset (&r, -1., -1.);
  gsk_rounded_rect_init_from_rect (&ring, &r, 0.);
  gtk_snapshot_append_border (snapshot, &ring, halo_widths, halo);
  graphene_rect_inset (&r, -2., -2.);
  gsk_rounded_rect_init_from_rect (&ring, &r, 0.);
  gtk_snapshot_append_border (snapshot, &ring, accent_widths, accent);
}

void
_attn_figure_view_class_init_keys (GtkWidgetClass *widget_class)
{
  static const struct
  {
    guint key;
    int   layers;
    int   tokens;
  } move_keys[] = {
    { GDK_KEY_Up, 1, 0 },
    { GDK_KEY_KP_Up, 1, 0 },
    { GDK_KEY_Down, -1, 0 },
    { GDK_KEY_KP_Down, -1, 0 },
    { GDK_KEY_Left, 0, -1 },
    { GDK_KEY_KP_Left, 0, -1 },
    { GDK_KEY_Right, 0, 1 },
    { GDK_KEY_KP_Right, 0, 1 },
    { GDK_KEY_Home, 0, -TO_THE_END },
    { GDK_KEY_KP_Home, 0, -TO_THE_END },
    { GDK_KEY_End, 0, TO_THE_END },
    { GDK_KEY_KP_End, 0, TO_THE_END },
  };
  const guint activate_keys[] = { GDK_KEY_Return, GDK_KEY_KP_Enter, GDK_KEY_space, GDK_KEY_KP_Space };

  for (guint i = 0; i < G_N_ELEMENTS (move_keys); i++)
    gtk_widget_class_add_binding (widget_class, move_keys[i].key, 0, move_key_cb, "(ii)", move_keys[i].layers,
                                  move_keys[i].tokens);
  for (guint i = 0; i < G_N_ELEMENTS (activate_keys); i++)
    gtk_widget_class_add_binding (widget_class, activate_keys[i], 0, activate_key_cb, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, escape_key_cb, NULL);
}

void
_attn_figure_view_init_keys (AttnFigureView *self)
{
  GtkEventController *controller;

  /* the top layer's first token, till a key moves it */
  self->cursor_layer = G_MAXUINT;
  self->readout = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->readout), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->readout), 0.);
  gtk_widget_add_css_class (self->readout, "cell-readout");
  gtk_widget_set_can_target (self->readout, FALSE);
  gtk_widget_set_visible (self->readout, FALSE);
  gtk_widget_set_parent (self->readout, GTK_WIDGET (self));

  controller = gtk_event_controller_focus_new ();
  g_signal_connect (controller, "leave", G_CALLBACK (focus_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

void
_attn_figure_view_dispose_keys (AttnFigureView *self)
{
  g_clear_pointer (&self->readout, gtk_widget_unparent);
}

/* The cursor as attn-figure-view-private.h gives it: to the keys above
 * (activate_key_cb()) and to the tests */

/* the cursor's cell in the widget, while it is shown */
gboolean
_attn_figure_view_get_cursor_rect (AttnFigureView  *self,
                                   graphene_rect_t *rect)
{
  AttnRect cell;
  double x0, y0, x1, y1;

  if (!self->cursor_shown || !cursor_cell (self, &cell) ||
      !attn_figure_view_figure_to_widget (self, cell.x, cell.y, &x0, &y0) ||
      !attn_figure_view_figure_to_widget (self, cell.x + cell.width, cell.y + cell.height, &x1, &y1))
    return FALSE;
  graphene_rect_init (rect, x0, y0, x1 - x0, y1 - y0);
  return TRUE;
}

/* the cursor's cell, while it is shown: its grid, layer, input position and
 * value */
gboolean
_attn_figure_view_get_cursor (AttnFigureView *self,
                              guint          *grid,
                              guint          *layer,
                              guint          *position,
                              double         *value)
{
  AttnRect cell;

  if (!self->cursor_shown || !cursor_cell (self, &cell))
    return FALSE;
  if (grid != NULL)
    *grid = self->cursor_grid;
  return attn_figure_hit_cell (attn_figure_view_get_figure (self), cell.x + cell.width / 2.,
                               cell.y + cell.height / 2., layer, position, value, NULL);
}

/* the readout's text, while it is shown, else NULL */
const char *
_attn_figure_view_get_readout (AttnFigureView *self)
{
  return gtk_widget_get_visible (self->readout) ? gtk_label_get_text (GTK_LABEL (self->readout)) : NULL;
}
