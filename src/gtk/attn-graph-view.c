/* attn-graph-view.c: the layered attention graph (Figure 1) as a widget
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "attn-graph-view-private.h"
#include "attn-gtk-util.h"

/* The graph is rendered off the main thread by the shared renderer's fast
 * raster path into an image at the widget's size × zoom × scale factor; the
 * snapshot only draws that image as a texture, transformed for the current
 * zoom and pan, so panning and zooming never re-render. After the zoom or the
 * size settles, the image is rendered again at the new size. */

#define MAX_IMAGE_PIXELS (24.0 * 1024 * 1024)
#define SETTLE_MS 150
/* The keyboard cursor stays this far inside the view, in pixels */
#define CURSOR_MARGIN 20.

static void attn_graph_view_zoomable_init (AttnZoomableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AttnGraphView, attn_graph_view, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (ATTN_TYPE_ZOOMABLE, attn_graph_view_zoomable_init))

enum {
  PROP_0,
  PROP_ZOOM,
  PROP_HOVER_TEXT,
  PROP_RENDERING,
  PROP_COLORMAP,
  PROP_THRESHOLD,
  PROP_TOP_K,
  PROP_EXCLUDE_SPECIAL,
  N_PROPS
};

enum {
  NODE_ACTIVATED,
  RENDERED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

void
_attn_graph_view_emit_node_activated (AttnGraphView *self,
                                      guint          layer,
                                      guint          position)
{
  g_signal_emit (self, signals[NODE_ACTIVATED], 0, layer, position);
}

/* What an image on its way was asked for with */
typedef struct
{
  AttnGraphView      *view;
  AttnFigureStyle     style;
  double              scale;
  double              zoom;
  AttnGraphScene     *scene;
  guint               generation;
} RenderRequest;

static void
render_request_free (RenderRequest *request)
{
  g_object_unref (request->view);
  attn_graph_scene_unref (request->scene);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RenderRequest, render_request_free)

guint
_attn_graph_view_n_layers (AttnGraphView *self)
{
  return self->example ? attn_example_get_n_layers (self->example) : 0;
}

/* The layers drawn: those of the scene on screen, else all */
void
_attn_graph_view_layer_range (AttnGraphView *self,
             guint         *first,
             guint         *last)
{
  *first = 1;
  *last = _attn_graph_view_n_layers (self);
  if (self->input != NULL)
    attn_graph_scene_get_layer_range (self->input, first, last);
}

double
_attn_graph_view_figure_scale (AttnGraphView *self)
{
  return self->layout_zoom > 0 ? self->zoom / self->layout_zoom : 1.;
}

void
_attn_graph_view_set_hover_text (AttnGraphView *self,
                                 const char    *text)
{
  self->hover_pointer = FALSE;
  if (attn_set_string (&self->hover_text, text))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOVER_TEXT]);
}

static void
set_rendering (AttnGraphView *self,
               gboolean       rendering)
{
  if (self->rendering == rendering)
    return;
  self->rendering = rendering;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RENDERING]);
}

/* Drops the render under way: it is not delivered */
static void
cancel_render (AttnGraphView *self)
{
  attn_cancel_and_clear (&self->render_cancellable);
  self->render_generation++;
  set_rendering (self, FALSE);
}

static gboolean
is_dark (AttnGraphView *self)
{
  return adw_style_manager_get_dark (adw_style_manager_get_default ());
}

/* The figure's own colours, light or dark as the window: the screen is
 * what a saved figure shows (in the light style, what Save Figure writes) */
void
attn_graph_view_get_style (AttnGraphView   *self,
                           AttnFigureStyle *style)
{
  const AttnColormap *map;

  attn_figure_style_init (style, is_dark (self));
  map = self->colormap ? attn_colormap_from_name (self->colormap) : NULL;
  if (map != NULL)
    style->colormap = map;
  style->threshold = self->threshold;
  style->top_k = self->top_k;
  style->exclude_special = self->exclude_special;
}

static void start_render (AttnGraphView *self);

/* Where a point of one layout is in another of the same graph: the same
 * place between the same nodes. Nodes are evenly spaced along each axis,
 * but the margins (labels, title, caption) do not grow with the zoom, so
 * the layout at a new zoom is not the old one scaled. */
static void
map_between_layouts (const AttnGraphLayout *from,
                     const AttnGraphLayout *to,
                     double                *x,
                     double                *y)
{
  guint n = attn_graph_layout_get_n_tokens (from);
  guint bottom = attn_graph_layout_get_first_layer (from) - 1;
  guint top = attn_graph_layout_get_last_layer (from);
  double fx0, fy0, fx1, fy1, tx0, ty0, tx1, ty1;

  if (n == 0)
    return;
  attn_graph_layout_get_node (from, bottom, 0, &fx0, &fy0);
  attn_graph_layout_get_node (from, top, n - 1, &fx1, &fy1);
  attn_graph_layout_get_node (to, bottom, 0, &tx0, &ty0);
  attn_graph_layout_get_node (to, top, n - 1, &tx1, &ty1);
  *x = n > 1 ? tx0 + (*x - fx0) * (tx1 - tx0) / (fx1 - fx0) : *x - fx0 + tx0;
  *y = ty0 + (*y - fy0) * (ty1 - ty0) / (fy1 - fy0);
}

/* Pans so that the graph's point under the zoom's anchor stays there when
 * @layout, laid out at @layout_zoom, replaces the one on screen */
static void
keep_anchor (AttnGraphView         *self,
             const AttnGraphLayout *layout,
             double                 layout_zoom)
{
  const AttnGraphLayout *old = self->layout;
  double ax = self->anchor_x, ay = self->anchor_y, lx, ly;

  if (old == NULL || self->zoom <= 1. ||
      attn_graph_layout_get_n_tokens (old) != attn_graph_layout_get_n_tokens (layout) ||
      attn_graph_layout_get_first_layer (old) != attn_graph_layout_get_first_layer (layout) ||
      attn_graph_layout_get_last_layer (old) != attn_graph_layout_get_last_layer (layout))
    return;
  if (ax < 0 || ay < 0)
    {
      ax = gtk_widget_get_width (GTK_WIDGET (self)) / 2.;
      ay = gtk_widget_get_height (GTK_WIDGET (self)) / 2.;
    }
  _attn_graph_view_widget_to_layout (self, ax, ay, &lx, &ly);
  map_between_layouts (old, layout, &lx, &ly);
  self->pan_x = ax - lx * self->zoom / layout_zoom;
  self->pan_y = ay - ly * self->zoom / layout_zoom;
  _attn_graph_view_clamp_pan (self);
}

/* A texture of @image, which it keeps */
GdkTexture *
_attn_graph_view_texture_new (cairo_surface_t *image)
{
  g_autoptr(GBytes) bytes = NULL;
  int height, stride;

  cairo_surface_flush (image);
  height = cairo_image_surface_get_height (image);
  stride = cairo_image_surface_get_stride (image);
  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (image), (gsize) stride * height,
                                      (GDestroyNotify) cairo_surface_destroy, cairo_surface_reference (image));
  return gdk_memory_texture_new (cairo_image_surface_get_width (image), height, GDK_MEMORY_DEFAULT, bytes, stride);
}

static void
render_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(RenderRequest) request = user_data;
  AttnGraphView *self = request->view;
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnGraphLayout) layout = NULL;
  cairo_surface_t *image = attn_graph_render_image_finish (result, &layout, &error);

  if (image == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Rendering the graph failed: %s", error->message);
      if (request->generation == self->render_generation)
        set_rendering (self, FALSE);
      return;
    }
  if (request->generation != self->render_generation)
    {
      cairo_surface_destroy (image);
      return;
    }

  g_clear_object (&self->texture);
  self->texture = _attn_graph_view_texture_new (image);
  g_clear_object (&self->bar_texture);

  keep_anchor (self, layout, request->zoom);
  self->anchor_x = self->anchor_y = -1.;
  g_clear_pointer (&self->image, cairo_surface_destroy);
  self->image = image;
  self->image_scale = request->scale;
  g_clear_pointer (&self->layout, attn_graph_layout_unref);
  self->layout = g_steal_pointer (&layout);
  g_clear_pointer (&self->scene, attn_graph_scene_unref);
  self->scene = attn_graph_scene_ref (request->scene);
  self->style = request->style;
  self->layout_zoom = request->zoom;
  attn_graph_layout_get_size (self->layout, &self->layout_width, &self->layout_height);
  /* what the pointer is on, told of the image before (another method's
   * edge, a layer that was still filling in), is told of this one */
  if (self->hover_pointer && self->hover_text != NULL)
    _attn_graph_view_update_hover (self, self->hover_x, self->hover_y);

  gtk_widget_queue_draw (GTK_WIDGET (self));

  if (self->render_again)
    {
      self->render_again = FALSE;
      start_render (self);
      return;
    }
  set_rendering (self, FALSE);
  g_signal_emit (self, signals[RENDERED], 0);
}

static void
start_render (AttnGraphView *self)
{
  RenderRequest *request;
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  double zoom = self->zoom;

  g_clear_handle_id (&self->render_timeout_id, g_source_remove);

  if (self->example == NULL || self->input == NULL)
    {
      /* nothing to draw (yet: a scene to come is drawn then); a render of
       * the scene before is not delivered */
      cancel_render (self);
      return;
    }
  if (width <= 0 || height <= 0)
    return;

  attn_cancel_and_clear (&self->render_cancellable);
  self->render_cancellable = g_cancellable_new ();
  self->render_generation++;
  self->render_again = FALSE;

  /* cap the image size; beyond it the texture is stretched */
  if ((double) width * height * zoom * zoom * scale * scale > MAX_IMAGE_PIXELS)
    zoom = MAX (1., sqrt (MAX_IMAGE_PIXELS / ((double) width * height * scale * scale)));

  request = g_new0 (RenderRequest, 1);
  request->view = g_object_ref (self);
  attn_graph_view_get_style (self, &request->style);
  request->scale = scale;
  request->zoom = zoom;
  request->scene = attn_graph_scene_ref (self->input);
  request->generation = self->render_generation;

  self->rendered_width = width;
  self->rendered_height = height;

  set_rendering (self, TRUE);
  attn_graph_render_image_async (request->scene, &request->style, width * zoom, height * zoom,
                                 scale, self->render_cancellable, render_done_cb, request);
}

static gboolean
render_timeout_cb (gpointer data)
{
  AttnGraphView *self = data;

  self->render_timeout_id = 0;
  start_render (self);
  return G_SOURCE_REMOVE;
}

static void
queue_render (AttnGraphView *self,
              guint          delay_ms)
{
  g_clear_handle_id (&self->render_timeout_id, g_source_remove);
  if (self->example == NULL)
    return;
  set_rendering (self, TRUE);
  self->render_timeout_id = g_timeout_add (delay_ms, render_timeout_cb, self);
}

void
_attn_graph_view_clamp_pan (AttnGraphView *self)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double fig_w = width * self->zoom;
  double fig_h = height * self->zoom;

  /* the figure always covers the widget (zoom ≥ 1) */
  self->pan_x = CLAMP (self->pan_x, width - fig_w, 0.);
  self->pan_y = CLAMP (self->pan_y, height - fig_h, 0.);
}

void
_attn_graph_view_widget_to_layout (AttnGraphView *self,
                  double         x,
                  double         y,
                  double        *lx,
                  double        *ly)
{
  double s = _attn_graph_view_figure_scale (self);

  *lx = (x - self->pan_x) / s;
  *ly = (y - self->pan_y) / s;
}

static void
update_accessible (AttnGraphView *self)
{
  g_autofree char *description = attn_graph_view_describe_selection (self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Attention graph"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

static void
dark_changed_cb (AdwStyleManager *manager,
                 GParamSpec      *pspec,
                 AttnGraphView   *self)
{
  queue_render (self, 0);
}

static void
attn_graph_view_css_changed (GtkWidget         *widget,
                             GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (attn_graph_view_parent_class)->css_changed (widget, change);
  queue_render (ATTN_GRAPH_VIEW (widget), 0);
}

static void
attn_graph_view_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  AttnGraphView *self = ATTN_GRAPH_VIEW (widget);

  _attn_graph_view_clamp_pan (self);
  if (width != self->rendered_width || height != self->rendered_height)
    queue_render (self, self->texture ? SETTLE_MS : 0);
}

static void
attn_graph_view_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? ATTN_GRAPH_VIEW_MIN_WIDTH : ATTN_GRAPH_VIEW_MIN_HEIGHT;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 800 : 480;
}

static void
attn_graph_view_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  AttnGraphView *self = ATTN_GRAPH_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double s = _attn_graph_view_figure_scale (self);

  if (width <= 0 || height <= 0 || self->texture == NULL || self->example == NULL)
    return;

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (self->pan_x, self->pan_y));
  gtk_snapshot_scale (snapshot, s, s);
  gtk_snapshot_append_texture (snapshot, self->texture,
                               &GRAPHENE_RECT_INIT (0, 0,
                                                    self->layout_width, self->layout_height));
  gtk_snapshot_restore (snapshot);

  if (self->zoom > ATTN_GRAPH_VIEW_STICKY_ZOOM && self->layout != NULL)
    _attn_graph_view_snapshot_labels (self, snapshot, width, height);

  /* the keyboard cursor: in the theme's accent (focus) colour, not the
   * figure's (the selection's ring), and just outside the selection's ring
   * (radius r + 3, 2 wide): the two can be told apart on one node; the
   * layout keeps the token labels clear of it */
  if (gtk_widget_has_visible_focus (widget) && self->layout != NULL)
    {
      double x, y, r = (attn_graph_layout_get_node_radius (self->layout) + 4) * s + ATTN_GRAPH_CURSOR_ROOM;
      GskRoundedRect ring;
      GdkRGBA colors[4];
      float widths[4] = { 2, 2, 2, 2 };

      attn_get_accent_color (widget, &colors[0]);
      colors[1] = colors[2] = colors[3] = colors[0];
      if (attn_graph_view_node_to_widget (self, self->cursor_layer, self->cursor_position, &x, &y))
        {
          gsk_rounded_rect_init_from_rect (&ring, &GRAPHENE_RECT_INIT (x - r, y - r, 2 * r, 2 * r), r);
          gtk_snapshot_append_border (snapshot, &ring, widths, colors);
        }
    }

  gtk_snapshot_pop (snapshot);
}

static gboolean
attn_graph_view_focus (GtkWidget        *widget,
                       GtkDirectionType  direction)
{
  if (!gtk_widget_has_focus (widget))
    return gtk_widget_grab_focus (widget);
  return FALSE;
}

static void
attn_graph_view_dispose (GObject *object)
{
  AttnGraphView *self = ATTN_GRAPH_VIEW (object);

  attn_cancel_and_clear (&self->render_cancellable);
  g_clear_handle_id (&self->render_timeout_id, g_source_remove);

  G_OBJECT_CLASS (attn_graph_view_parent_class)->dispose (object);
}

/* Drops the example and all drawn or being drawn of it (a render delivered
 * later put its layout under the pointer with the next example) */
static void
clear_example (AttnGraphView *self)
{
  cancel_render (self);
  g_clear_pointer (&self->example, attn_example_unref);
  g_clear_pointer (&self->input, attn_graph_scene_unref);
  self->trace = NULL;
  g_clear_pointer (&self->layout, attn_graph_layout_unref);
  g_clear_pointer (&self->scene, attn_graph_scene_unref);
  g_clear_pointer (&self->image, cairo_surface_destroy);
  g_clear_object (&self->texture);
  g_clear_object (&self->bar_texture);
}

static void
attn_graph_view_finalize (GObject *object)
{
  AttnGraphView *self = ATTN_GRAPH_VIEW (object);

  clear_example (self);
  g_free (self->colormap);
  g_free (self->hover_text);

  G_OBJECT_CLASS (attn_graph_view_parent_class)->finalize (object);
}

static void
attn_graph_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  AttnGraphView *self = ATTN_GRAPH_VIEW (object);

  switch (prop_id)
    {
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    case PROP_HOVER_TEXT:
      g_value_set_string (value, self->hover_text);
      break;
    case PROP_RENDERING:
      g_value_set_boolean (value, self->rendering);
      break;
    case PROP_COLORMAP:
      g_value_set_string (value, self->colormap);
      break;
    case PROP_THRESHOLD:
      g_value_set_double (value, self->threshold);
      break;
    case PROP_TOP_K:
      g_value_set_uint (value, self->top_k);
      break;
    case PROP_EXCLUDE_SPECIAL:
      g_value_set_boolean (value, self->exclude_special);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
attn_graph_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  AttnGraphView *self = ATTN_GRAPH_VIEW (object);

  switch (prop_id)
    {
    case PROP_COLORMAP:
      attn_graph_view_set_colormap (self, g_value_get_string (value));
      break;
    case PROP_THRESHOLD:
      attn_graph_view_set_threshold (self, g_value_get_double (value));
      break;
    case PROP_TOP_K:
      attn_graph_view_set_top_k (self, g_value_get_uint (value));
      break;
    case PROP_EXCLUDE_SPECIAL:
      if (self->exclude_special != g_value_get_boolean (value))
        {
          self->exclude_special = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
attn_graph_view_class_init (AttnGraphViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = attn_graph_view_dispose;
  object_class->finalize = attn_graph_view_finalize;
  object_class->get_property = attn_graph_view_get_property;
  object_class->set_property = attn_graph_view_set_property;

  widget_class->snapshot = attn_graph_view_snapshot;
  widget_class->measure = attn_graph_view_measure;
  widget_class->size_allocate = attn_graph_view_size_allocate;
  widget_class->css_changed = attn_graph_view_css_changed;
  widget_class->focus = attn_graph_view_focus;

  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, MIN_ZOOM, MAX_ZOOM, 1.,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_HOVER_TEXT] =
    g_param_spec_string ("hover-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_RENDERING] =
    g_param_spec_boolean ("rendering", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * AttnGraphView:colormap:
   *
   * The colour map of the edges and nodes, by name ("viridis", "ink"…).
   */
  properties[PROP_COLORMAP] =
    g_param_spec_string ("colormap", NULL, NULL, "viridis",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * AttnGraphView:threshold:
   *
   * Edges weaker than this fraction of the colour scale's maximum are not drawn.
   */
  properties[PROP_THRESHOLD] =
    g_param_spec_double ("threshold", NULL, NULL, 0., 1., 0.,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * AttnGraphView:top-k:
   *
   * Only this many of each node's strongest edges are drawn; 0 draws them all.
   */
  properties[PROP_TOP_K] =
    g_param_spec_uint ("top-k", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * AttnGraphView:exclude-special:
   *
   * Figures in the view's style (attn_graph_view_get_style()) leave special
   * tokens out of their colour range. The graph's own range is its scene's.
   */
  properties[PROP_EXCLUDE_SPECIAL] =
    g_param_spec_boolean ("exclude-special", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AttnGraphView::node-activated:
   * @layer: 0..L
   * @position: the token position
   *
   * A node was clicked, chosen with the keyboard, or named by the
   * `view.select-node` action.
   */
  signals[NODE_ACTIVATED] =
    g_signal_new ("node-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
  signals[RENDERED] =
    g_signal_new ("rendered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  _attn_graph_view_class_init_input (widget_class);

  gtk_widget_class_set_css_name (widget_class, "attngraphview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
attn_graph_view_init (AttnGraphView *self)
{
  self->zoom = 1.;
  self->layout_zoom = 1.;
  self->anchor_x = self->anchor_y = -1.;
  self->threshold = 0.;
  self->colormap = g_strdup ("viridis");

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  _attn_graph_view_init_input (self);

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (dark_changed_cb), self, 0);

  update_accessible (self);
}

GtkWidget *
attn_graph_view_new (void)
{
  return g_object_new (ATTN_TYPE_GRAPH_VIEW, NULL);
}

void
attn_graph_view_set_example (AttnGraphView *self,
                             AttnExample   *example)
{
  g_return_if_fail (ATTN_IS_GRAPH_VIEW (self));

  if (self->example == example)
    return;
  clear_example (self);
  if (example != NULL)
    {
      self->example = attn_example_ref (example);
      self->cursor_layer = attn_example_get_n_layers (example);
      self->cursor_position = attn_example_get_focus (example);
    }
  self->zoom = 1.;
  self->pan_x = self->pan_y = 0.;
  _attn_graph_view_set_hover_text (self, NULL);
  update_accessible (self);
  queue_render (self, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

AttnExample *
attn_graph_view_get_example (AttnGraphView *self)
{
  g_return_val_if_fail (ATTN_IS_GRAPH_VIEW (self), NULL);

  return self->example;
}

/**
 * attn_graph_view_set_scene:
 * @scene: (nullable): what to show (attn_graph_scene_new_from_trace()); it
 *   must belong to the view's example
 *
 * Shows @scene: it is rendered off the main thread at the view's size.
 */
/* Do two traces show the same method from the same node? */
static gboolean
same_selection (AttnTrace *a,
                AttnTrace *b)
{
  AttnTraceQuery qa, qb;

  if (a == NULL || b == NULL)
    return a == b;
  attn_trace_get_query (a, &qa);
  attn_trace_get_query (b, &qb);
  return qa.method == qb.method && qa.layer == qb.layer && qa.position == qb.position &&
         qa.sink == qb.sink;
}

void
attn_graph_view_set_scene (AttnGraphView  *self,
                           AttnGraphScene *scene)
{
  g_autoptr(AttnTrace) before = NULL;

  g_return_if_fail (ATTN_IS_GRAPH_VIEW (self));

  if (self->input == scene)
    return;
  if (scene != NULL)
    attn_graph_scene_ref (scene);
  before = self->trace ? attn_trace_ref (self->trace) : NULL;
  g_clear_pointer (&self->input, attn_graph_scene_unref);
  self->input = scene;
  self->trace = scene ? attn_graph_scene_get_trace (scene) : NULL;
  if (self->trace != NULL)
    attn_trace_get_selection (self->trace, &self->cursor_layer, &self->cursor_position, NULL);
  /* what the pointer was on described the selection before: until the
   * pointer moves again, the status line tells the new selection (or its
   * absence) */
  if (!same_selection (before, self->trace))
    _attn_graph_view_set_hover_text (self, NULL);
  update_accessible (self);
  queue_render (self, 0);
}

/**
 * attn_graph_view_get_scene:
 *
 * Returns: (transfer none) (nullable): the scene shown (or being rendered)
 */
AttnGraphScene *
attn_graph_view_get_scene (AttnGraphView *self)
{
  g_return_val_if_fail (ATTN_IS_GRAPH_VIEW (self), NULL);

  return self->input;
}

/**
 * attn_graph_view_get_trace:
 *
 * Returns: (transfer none) (nullable): the trace of the scene shown
 */
AttnTrace *
attn_graph_view_get_trace (AttnGraphView *self)
{
  g_return_val_if_fail (ATTN_IS_GRAPH_VIEW (self), NULL);

  return self->trace;
}

/**
 * attn_graph_view_set_colormap:
 * @colormap: (nullable): the name of a colour map (attn_colormap_list_names());
 *   %NULL or an unknown name draws in the default one
 */
void
attn_graph_view_set_colormap (AttnGraphView *self,
                              const char    *colormap)
{
  g_return_if_fail (ATTN_IS_GRAPH_VIEW (self));

  if (!attn_set_string (&self->colormap, colormap))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLORMAP]);
  queue_render (self, 0);
}

/**
 * attn_graph_view_set_threshold:
 * @threshold: edges below this fraction of the colour scale's maximum are not drawn
 */
void
attn_graph_view_set_threshold (AttnGraphView *self,
                               double         threshold)
{
  g_return_if_fail (ATTN_IS_GRAPH_VIEW (self));

  if (threshold == self->threshold)
    return;
  self->threshold = threshold;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THRESHOLD]);
  queue_render (self, 0);
}

/**
 * attn_graph_view_set_top_k:
 * @top_k: each node's strongest edges drawn; 0 for all
 */
void
attn_graph_view_set_top_k (AttnGraphView *self,
                           guint          top_k)
{
  g_return_if_fail (ATTN_IS_GRAPH_VIEW (self));

  if (top_k == self->top_k)
    return;
  self->top_k = top_k;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOP_K]);
  queue_render (self, 0);
}

void
attn_graph_view_set_busy (AttnGraphView *self,
                          gboolean       busy)
{
  g_return_if_fail (ATTN_IS_GRAPH_VIEW (self));

  self->busy = busy;
  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_BUSY, busy, -1);
}

/**
 * attn_graph_view_get_selection:
 *
 * Returns: %TRUE when the trace shown has a selected node
 */
gboolean
attn_graph_view_get_selection (AttnGraphView *self,
                               guint         *layer,
                               guint         *position,
                               int           *sink)
{
  g_return_val_if_fail (ATTN_IS_GRAPH_VIEW (self), FALSE);

  return self->trace != NULL && attn_trace_get_selection (self->trace, layer, position, sink);
}

void
attn_graph_view_set_cursor (AttnGraphView *self,
                            guint          layer,
                            guint          position)
{
  g_return_if_fail (ATTN_IS_GRAPH_VIEW (self));

  if (self->example == NULL)
    return;
  self->cursor_layer = MIN (layer, _attn_graph_view_n_layers (self));
  self->cursor_position = MIN (position, attn_example_get_n_tokens (self->example) - 1);

  /* keep the cursor on screen, and tell assistive technologies about it */
  if (self->layout != NULL)
    {
      double x, y, w = gtk_widget_get_width (GTK_WIDGET (self));
      double h = gtk_widget_get_height (GTK_WIDGET (self));
      g_autofree char *text = _attn_graph_view_describe_node (self, self->cursor_layer, self->cursor_position);

      if (attn_graph_view_node_to_widget (self, self->cursor_layer, self->cursor_position, &x, &y))
        {
          if (x < CURSOR_MARGIN)
            self->pan_x += CURSOR_MARGIN - x;
          else if (x > w - CURSOR_MARGIN)
            self->pan_x -= x - (w - CURSOR_MARGIN);
          if (y < CURSOR_MARGIN)
            self->pan_y += CURSOR_MARGIN - y;
          else if (y > h - CURSOR_MARGIN)
            self->pan_y -= y - (h - CURSOR_MARGIN);
          _attn_graph_view_clamp_pan (self);
        }
      _attn_graph_view_set_hover_text (self, text);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
attn_graph_view_get_cursor (AttnGraphView *self,
                            guint         *layer,
                            guint         *position)
{
  g_return_if_fail (ATTN_IS_GRAPH_VIEW (self));

  *layer = self->cursor_layer;
  *position = self->cursor_position;
}

static double
attn_graph_view_get_zoom (AttnZoomable *zoomable)
{
  return ATTN_GRAPH_VIEW (zoomable)->zoom;
}

/* From MIN_ZOOM (the whole graph) to MAX_ZOOM; the image is rendered again
 * at the new zoom once it settles */
static void
attn_graph_view_set_zoom (AttnZoomable *zoomable,
                          double        zoom,
                          double        center_x,
                          double        center_y)
{
  AttnGraphView *self = ATTN_GRAPH_VIEW (zoomable);
  double ratio;

  zoom = CLAMP (zoom, MIN_ZOOM, MAX_ZOOM);
  if (zoom == self->zoom)
    return;
  ratio = zoom / self->zoom;
  self->pan_x = center_x - (center_x - self->pan_x) * ratio;
  self->pan_y = center_y - (center_y - self->pan_y) * ratio;
  self->anchor_x = center_x;
  self->anchor_y = center_y;
  self->zoom = zoom;
  _attn_graph_view_clamp_pan (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  queue_render (self, SETTLE_MS);
}

static gboolean
attn_graph_view_get_pan (AttnZoomable *zoomable,
                         double       *x,
                         double       *y)
{
  AttnGraphView *self = ATTN_GRAPH_VIEW (zoomable);

  *x = self->pan_x;
  *y = self->pan_y;
  return TRUE;
}

static void
attn_graph_view_set_pan (AttnZoomable *zoomable,
                         double        x,
                         double        y)
{
  AttnGraphView *self = ATTN_GRAPH_VIEW (zoomable);

  self->pan_x = x;
  self->pan_y = y;
  _attn_graph_view_clamp_pan (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
attn_graph_view_zoom_to_fit (AttnZoomable *zoomable)
{
  AttnGraphView *self = ATTN_GRAPH_VIEW (zoomable);

  attn_graph_view_set_zoom (zoomable, 1., 0., 0.);
  self->pan_x = self->pan_y = 0.;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
attn_graph_view_zoomable_init (AttnZoomableInterface *iface)
{
  iface->get_zoom = attn_graph_view_get_zoom;
  iface->set_zoom = attn_graph_view_set_zoom;
  iface->get_pan = attn_graph_view_get_pan;
  iface->set_pan = attn_graph_view_set_pan;
  iface->zoom_to_fit = attn_graph_view_zoom_to_fit;
  iface->get_zoom_anchor = _attn_graph_view_get_zoom_anchor;
}

/**
 * attn_graph_view_hit_node:
 * @x, @y: widget coordinates
 *
 * Maps a point of the widget to the node under it, at the current zoom and
 * pan, through the renderer's layout: none under the labels and the colour
 * bar kept in sight zoomed in (_attn_graph_view_is_pinned()).
 */
gboolean
attn_graph_view_hit_node (AttnGraphView *self,
                          double         x,
                          double         y,
                          guint         *layer,
                          guint         *position)
{
  double lx, ly;

  g_return_val_if_fail (ATTN_IS_GRAPH_VIEW (self), FALSE);

  if (self->layout == NULL || _attn_graph_view_is_pinned (self, x, y))
    return FALSE;
  _attn_graph_view_widget_to_layout (self, x, y, &lx, &ly);
  return attn_graph_layout_hit_node (self->layout, lx, ly, layer, position);
}

gboolean
attn_graph_view_layout_to_widget (AttnGraphView *self,
                                  double         layout_x,
                                  double         layout_y,
                                  double        *x,
                                  double        *y)
{
  double s;

  g_return_val_if_fail (ATTN_IS_GRAPH_VIEW (self), FALSE);

  if (self->layout == NULL)
    return FALSE;
  s = _attn_graph_view_figure_scale (self);
  *x = self->pan_x + layout_x * s;
  *y = self->pan_y + layout_y * s;
  return TRUE;
}

gboolean
attn_graph_view_node_to_widget (AttnGraphView *self,
                                guint          layer,
                                guint          position,
                                double        *x,
                                double        *y)
{
  double lx, ly;

  g_return_val_if_fail (ATTN_IS_GRAPH_VIEW (self), FALSE);

  if (self->layout == NULL ||
      layer + 1 < attn_graph_layout_get_first_layer (self->layout) ||
      layer > attn_graph_layout_get_last_layer (self->layout) ||
      position >= attn_graph_layout_get_n_tokens (self->layout))
    return FALSE;
  attn_graph_layout_get_node (self->layout, layer, position, &lx, &ly);
  return attn_graph_view_layout_to_widget (self, lx, ly, x, y);
}

gboolean
attn_graph_view_is_rendering (AttnGraphView *self)
{
  g_return_val_if_fail (ATTN_IS_GRAPH_VIEW (self), FALSE);

  return self->rendering;
}

/**
 * attn_graph_view_get_image:
 * @image_scale: (out) (optional): image pixels per layout unit
 *
 * Returns: (transfer none) (nullable): the image on screen, in layout
 *   coordinates times @image_scale
 */
cairo_surface_t *
attn_graph_view_get_image (AttnGraphView *self,
                           double        *image_scale)
{
  g_return_val_if_fail (ATTN_IS_GRAPH_VIEW (self), NULL);

  if (image_scale)
    *image_scale = self->image_scale;
  return self->image;
}

AttnGraphLayout *
attn_graph_view_get_layout (AttnGraphView *self)
{
  g_return_val_if_fail (ATTN_IS_GRAPH_VIEW (self), NULL);

  return self->layout;
}

const char *
attn_graph_view_get_hover_text (AttnGraphView *self)
{
  g_return_val_if_fail (ATTN_IS_GRAPH_VIEW (self), NULL);

  return self->hover_text;
}
