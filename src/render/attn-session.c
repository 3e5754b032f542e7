/* attn-session.c: the work behind the window for one open example
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The session owns what is computed for the example on show, under its
 * settings and method: the graph, the trace of the selection (or of no
 * selection), the un-clicked view layer by layer (flow's, and rollout's from
 * ATTN_SESSION_PROGRESSIVE_MIN tokens on), the heatmap's values
 * and a cache of traces. Every computation runs as a job on a worker thread;
 * a job of a kind replaces the one running (cancel and replace), and a result
 * is taken only from the job that is still current. The window only sets
 * inputs and shows the results.
 */

#include "config.h"

#include "attn-session.h"
#include "attn-session-private.h"

G_DEFINE_FINAL_TYPE (AttnSession, attn_session, G_TYPE_OBJECT)

enum {
  RESULTS_CHANGED,
  FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_SESSION_PROPS];
static guint signals[N_SIGNALS];

void
_attn_session_notify (AttnSession         *self,
                      AttnSessionProperty  property)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[property]);
}

void
_attn_session_emit_results_changed (AttnSession *self)
{
  g_signal_emit (self, signals[RESULTS_CHANGED], 0);
}

void
_attn_session_emit_failed (AttnSession *self,
                           const char  *message)
{
  g_signal_emit (self, signals[FAILED], 0, message);
}

/* GObject */

static void
attn_session_dispose (GObject *object)
{
  AttnSession *self = ATTN_SESSION (object);

  attn_session_cancel (self);

  G_OBJECT_CLASS (attn_session_parent_class)->dispose (object);
}

static void
attn_session_finalize (GObject *object)
{
  AttnSession *self = ATTN_SESSION (object);

  g_clear_pointer (&self->example, attn_example_unref);
  g_clear_pointer (&self->settings, attn_graph_settings_unref);
  g_clear_pointer (&self->graph, attn_graph_unref);
  g_free (self->graph_key);
  g_free (self->every_node_stopped);
  g_clear_pointer (&self->traces, g_hash_table_unref);
  g_clear_pointer (&self->every_node_measured, g_hash_table_unref);
  g_clear_pointer (&self->trace, attn_trace_unref);
  g_clear_pointer (&self->scene, attn_graph_scene_unref);
  g_free (self->heat_key);
  _attn_heat_values_clear (&self->heat);
  _attn_heat_values_clear (&self->heat_partial);
  g_free (self->heatmap_error);

  G_OBJECT_CLASS (attn_session_parent_class)->finalize (object);
}

static void
attn_session_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  AttnSession *self = ATTN_SESSION (object);

  switch (prop_id)
    {
    case SESSION_PROP_EXAMPLE:
      g_value_set_boxed (value, self->example);
      break;
    case SESSION_PROP_SETTINGS:
      g_value_set_boxed (value, self->settings);
      break;
    case SESSION_PROP_METHOD:
      g_value_set_enum (value, self->method);
      break;
    case SESSION_PROP_ALL_METHODS:
      g_value_set_boolean (value, self->all_methods);
      break;
    case SESSION_PROP_ALL_WEIGHTS:
      g_value_set_boolean (value, self->all_weights);
      break;
    case SESSION_PROP_EXCLUDE_SPECIAL:
      g_value_set_boolean (value, self->exclude_special);
      break;
    case SESSION_PROP_COLOR_SCALE:
      g_value_set_string (value, attn_color_scale_get_name (self->color_scale));
      break;
    case SESSION_PROP_FIRST_LAYER:
      g_value_set_uint (value, self->first_layer);
      break;
    case SESSION_PROP_LAST_LAYER:
      g_value_set_uint (value, self->last_layer);
      break;
    case SESSION_PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case SESSION_PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case SESSION_PROP_TRACE:
      g_value_set_boxed (value, self->trace);
      break;
    case SESSION_PROP_SCENE:
      g_value_set_boxed (value, self->scene);
      break;
    case SESSION_PROP_EVERY_NODE_OFFERED:
      g_value_set_boolean (value, attn_session_get_every_node_offered (self));
      break;
    case SESSION_PROP_HEATMAP_ERROR:
      g_value_set_string (value, self->heatmap_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
attn_session_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  AttnSession *self = ATTN_SESSION (object);

  switch (prop_id)
    {
    case SESSION_PROP_SETTINGS:
      attn_session_set_settings (self, g_value_get_boxed (value));
      break;
    case SESSION_PROP_METHOD:
      attn_session_set_method (self, g_value_get_enum (value));
      break;
    case SESSION_PROP_ALL_METHODS:
      attn_session_set_all_methods (self, g_value_get_boolean (value));
      break;
    case SESSION_PROP_ALL_WEIGHTS:
      attn_session_set_all_weights (self, g_value_get_boolean (value));
      break;
    case SESSION_PROP_EXCLUDE_SPECIAL:
      attn_session_set_exclude_special (self, g_value_get_boolean (value));
      break;
    case SESSION_PROP_COLOR_SCALE:
      {
        AttnColorScale scale = ATTN_COLOR_SCALE_PER_LAYER;

        if (g_value_get_string (value) != NULL &&
            !attn_color_scale_from_name (g_value_get_string (value), &scale))
          g_warning ("Unknown colour scale “%s”", g_value_get_string (value));
        attn_session_set_color_scale (self, scale);
      }
      break;
    case SESSION_PROP_FIRST_LAYER:
      attn_session_set_layer_range (self, g_value_get_uint (value), self->last_layer);
      break;
    case SESSION_PROP_LAST_LAYER:
      attn_session_set_layer_range (self, self->first_layer, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
add_signals (AttnSessionClass *klass)
{
  /**
   * AttnSession::results-changed:
   *
   * The trace or the heatmap's values changed.
   */
  signals[RESULTS_CHANGED] =
    g_signal_new ("results-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * AttnSession::failed:
   * @message: what went wrong, for the user
   *
   * A computation failed (not a cancelled one; the heatmap's failures go to
   * #AttnSession:heatmap-error).
   */
  signals[FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
attn_session_class_init (AttnSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = attn_session_dispose;
  object_class->finalize = attn_session_finalize;
  object_class->get_property = attn_session_get_property;
  object_class->set_property = attn_session_set_property;
  _attn_session_init_malloc ();

  properties[SESSION_PROP_EXAMPLE] =
    g_param_spec_boxed ("example", NULL, NULL, ATTN_TYPE_EXAMPLE,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[SESSION_PROP_SETTINGS] =
    g_param_spec_boxed ("settings", NULL, NULL, ATTN_TYPE_GRAPH_SETTINGS,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[SESSION_PROP_METHOD] =
    g_param_spec_enum ("method", NULL, NULL, ATTN_TYPE_METHOD, ATTN_METHOD_ROLLOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[SESSION_PROP_ALL_METHODS] =
    g_param_spec_boolean ("all-methods", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * AttnSession:all-weights:
   *
   * Whether the heatmap's values are those of the method under every
   * weight kind the example carries (side by side), not only under the
   * settings' weights. #AttnSession:all-methods takes precedence.
   */
  properties[SESSION_PROP_ALL_WEIGHTS] =
    g_param_spec_boolean ("all-weights", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * AttnSession:exclude-special:
   *
   * Whether special tokens and the selected one are left out of the
   * graph's colour range (they saturate).
   */
  properties[SESSION_PROP_EXCLUDE_SPECIAL] =
    g_param_spec_boolean ("exclude-special", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* AttnSession:color-scale: "per-layer" or "global" (attn_color_scale_get_name()) */
  properties[SESSION_PROP_COLOR_SCALE] =
    g_param_spec_string ("color-scale", NULL, NULL, "per-layer",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * AttnSession:first-layer:
   *
   * The lowest layer the graph draws, 1..L (0 is 1).
   */
  properties[SESSION_PROP_FIRST_LAYER] =
    g_param_spec_uint ("first-layer", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * AttnSession:last-layer:
   *
   * The highest layer the graph draws; 0 is the model's last.
   */
  properties[SESSION_PROP_LAST_LAYER] =
    g_param_spec_uint ("last-layer", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * AttnSession:busy:
   *
   * Whether a job runs: the graph, the selection's trace, the un-clicked
   * flow view or the heatmap's values.
   */
  properties[SESSION_PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * AttnSession:progress:
   *
   * The fraction done of the job the user waits for (the selection's
   * trace, else the un-clicked flow view), or -1 when it does not say.
   */
  properties[SESSION_PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, -1., 1., -1.,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * AttnSession:trace:
   *
   * What to show: the trace of the selection (or of no selection) under
   * the method, once computed; the un-clicked flow view grows layer by layer.
   */
  properties[SESSION_PROP_TRACE] =
    g_param_spec_boxed ("trace", NULL, NULL, ATTN_TYPE_TRACE,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * AttnSession:scene:
   *
   * The graph as the screen and the saved figures show it: the trace's
   * scene (attn_graph_scene_new_from_trace()) with the colour range, layers
   * and caption of the session, built on a worker after the trace.
   */
  properties[SESSION_PROP_SCENE] =
    g_param_spec_boxed ("scene", NULL, NULL, ATTN_TYPE_GRAPH_SCENE,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * AttnSession:every-node-offered:
   *
   * Whether the un-clicked flow view waits for attn_session_request_every_node()
   * (more than %ATTN_SESSION_EVERY_NODE_AUTO_MAX tokens).
   */
  properties[SESSION_PROP_EVERY_NODE_OFFERED] =
    g_param_spec_boolean ("every-node-offered", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[SESSION_PROP_HEATMAP_ERROR] =
    g_param_spec_string ("heatmap-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_SESSION_PROPS, properties);
  add_signals (klass);
}

static void
attn_session_init (AttnSession *self)
{
  self->settings = attn_graph_settings_new_default ();
  self->method = ATTN_METHOD_ROLLOUT;
  self->sel_sink = -1;
  self->progress = -1.;
  self->progressive_min = ATTN_SESSION_PROGRESSIVE_MIN;
  self->cache_bytes_max = ATTN_SESSION_TRACE_CACHE_BYTES;
  self->traces = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, _attn_session_cache_entry_free);
  self->every_node_measured = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

AttnSession *
attn_session_new (void)
{
  return g_object_new (ATTN_TYPE_SESSION, NULL);
}

/* Keeps @settings (a reference) in place of the session's and notifies;
 * FALSE when they are the ones kept already */
static gboolean
replace_settings (AttnSession       *self,
                  AttnGraphSettings *settings)
{
  if (settings == self->settings)
    return FALSE;
  attn_graph_settings_ref (settings);
  g_clear_pointer (&self->settings, attn_graph_settings_unref);
  self->settings = settings;
  g_object_notify_by_pspec (G_OBJECT (self), properties[SESSION_PROP_SETTINGS]);
  return TRUE;
}

/**
 * attn_session_set_example:
 * @example: (nullable): the example to work on
 * @settings: (nullable): its graph settings; %NULL keeps the current ones
 *
 * Shows @example without a selection (the un-clicked flow view waits for a
 * request again), under @settings.
 */
void
attn_session_set_example (AttnSession       *self,
                          AttnExample       *example,
                          AttnGraphSettings *settings)
{
  g_return_if_fail (ATTN_IS_SESSION (self));

  if (settings != NULL)
    replace_settings (self, settings);
  if (example != self->example)
    {
      if (example != NULL)
        attn_example_ref (example);
      g_clear_pointer (&self->example, attn_example_unref);
      self->example = example;
      g_object_notify_by_pspec (G_OBJECT (self), properties[SESSION_PROP_EXAMPLE]);
    }
  self->sel_layer = 0;
  self->sel_position = 0;
  self->sel_sink = -1;
  self->every_node_requested = FALSE;
  _attn_session_cancel_job (self, ATTN_SESSION_JOB_EVERY_NODE);
  _attn_session_refresh (self);
}

/**
 * attn_session_get_example:
 *
 * Returns: (transfer none) (nullable): the example
 */
AttnExample *
attn_session_get_example (AttnSession *self)
{
  g_return_val_if_fail (ATTN_IS_SESSION (self), NULL);

  return self->example;
}

/**
 * attn_session_set_settings:
 * @settings: how to build the example's graph
 */
void
attn_session_set_settings (AttnSession       *self,
                           AttnGraphSettings *settings)
{
  g_return_if_fail (ATTN_IS_SESSION (self));
  g_return_if_fail (settings != NULL);

  if (replace_settings (self, settings))
    _attn_session_refresh (self);
}

/**
 * attn_session_get_settings:
 *
 * Returns: (transfer none): the graph settings
 */
AttnGraphSettings *
attn_session_get_settings (AttnSession *self)
{
  g_return_val_if_fail (ATTN_IS_SESSION (self), NULL);

  return self->settings;
}

void
attn_session_set_method (AttnSession *self,
                         AttnMethod   method)
{
  g_return_if_fail (ATTN_IS_SESSION (self));
  g_return_if_fail (method < ATTN_N_METHODS);

  if (method == self->method)
    return;
  self->method = method;
  g_object_notify_by_pspec (G_OBJECT (self), properties[SESSION_PROP_METHOD]);
  _attn_session_refresh (self);
}

AttnMethod
attn_session_get_method (AttnSession *self)
{
  g_return_val_if_fail (ATTN_IS_SESSION (self), ATTN_METHOD_ROLLOUT);

  return self->method;
}

/* Sets a boolean option and notifies its @property; %FALSE when it had
 * that value already (nothing to redo). */
static gboolean
set_flag (AttnSession         *self,
          gboolean            *flag,
          gboolean             value,
          AttnSessionProperty  property)
{
  if (*flag == !!value)
    return FALSE;
  *flag = !!value;
  _attn_session_notify (self, property);
  return TRUE;
}

/**
 * attn_session_set_all_methods:
 * @all_methods: the heatmap's values for raw attention, rollout and flow,
 *   not only for the method
 */
void
attn_session_set_all_methods (AttnSession *self,
                              gboolean     all_methods)
{
  g_return_if_fail (ATTN_IS_SESSION (self));

  if (set_flag (self, &self->all_methods, all_methods, SESSION_PROP_ALL_METHODS))
    _attn_session_update_heatmap (self);
}

gboolean
attn_session_get_all_methods (AttnSession *self)
{
  g_return_val_if_fail (ATTN_IS_SESSION (self), FALSE);

  return self->all_methods;
}

/**
 * attn_session_set_all_weights:
 * @all_weights: the heatmap's values for the method under every weight
 *   kind the example carries (unless #AttnSession:all-methods is set)
 */
void
attn_session_set_all_weights (AttnSession *self,
                              gboolean     all_weights)
{
  g_return_if_fail (ATTN_IS_SESSION (self));

  if (set_flag (self, &self->all_weights, all_weights, SESSION_PROP_ALL_WEIGHTS))
    _attn_session_update_heatmap (self);
}

gboolean
attn_session_get_all_weights (AttnSession *self)
{
  g_return_val_if_fail (ATTN_IS_SESSION (self), FALSE);

  return self->all_weights;
}

/**
 * attn_session_get_heatmap_weights:
 *
 * Returns: the weight kinds the heatmap shows side by side, 1 << kind each
 *   (#AttnSession:all-weights: every kind the example carries with the
 *   settings' heads, attn_heads_get_weight_kinds()), or 0 when it shows
 *   the settings' weights alone
 */
guint
attn_session_get_heatmap_weights (AttnSession *self)
{
  guint kinds;

  g_return_val_if_fail (ATTN_IS_SESSION (self), 0);

  if (!self->all_weights || self->all_methods || self->example == NULL)
    return 0;
  /* with a head subset, the kinds that have those heads */
  kinds = attn_heads_get_weight_kinds (attn_graph_settings_get_heads (self->settings), self->example);
  /* the attention alone: nothing to put side by side */
  return (kinds & (kinds - 1)) != 0 ? kinds : 0;
}

/**
 * attn_session_get_heatmap_for_weights:
 * @weights: one of attn_session_get_heatmap_weights()
 *
 * Returns: (nullable) (array): as attn_session_get_heatmap(), for the
 *   method under @weights, or %NULL when they are not there
 */
const double *
attn_session_get_heatmap_for_weights (AttnSession    *self,
                                      AttnWeightKind  weights)
{
  g_return_val_if_fail (ATTN_IS_SESSION (self), NULL);
  g_return_val_if_fail (weights < ATTN_N_WEIGHT_KINDS, NULL);

  return self->heat.kind[weights];
}

/**
 * attn_session_set_exclude_special:
 * @exclude_special: leave special tokens and the selected one out of the
 *   graph's colour range
 */
void
attn_session_set_exclude_special (AttnSession *self,
                                  gboolean     exclude_special)
{
  g_return_if_fail (ATTN_IS_SESSION (self));

  if (set_flag (self, &self->exclude_special, exclude_special, SESSION_PROP_EXCLUDE_SPECIAL))
    _attn_session_update_scene (self);
}

gboolean
attn_session_get_exclude_special (AttnSession *self)
{
  g_return_val_if_fail (ATTN_IS_SESSION (self), FALSE);

  return self->exclude_special;
}

/**
 * attn_session_set_color_scale:
 * @color_scale: each layer to its own maximum, or one range for the graph
 */
void
attn_session_set_color_scale (AttnSession    *self,
                              AttnColorScale  color_scale)
{
  g_return_if_fail (ATTN_IS_SESSION (self));
  g_return_if_fail (color_scale <= ATTN_COLOR_SCALE_GLOBAL);

  if (color_scale == self->color_scale)
    return;
  self->color_scale = color_scale;
  g_object_notify_by_pspec (G_OBJECT (self), properties[SESSION_PROP_COLOR_SCALE]);
  _attn_session_update_scene (self);
}

AttnColorScale
attn_session_get_color_scale (AttnSession *self)
{
  g_return_val_if_fail (ATTN_IS_SESSION (self), ATTN_COLOR_SCALE_PER_LAYER);

  return self->color_scale;
}

/**
 * attn_session_set_layer_range:
 * @first: the lowest layer drawn, 1..L (0 is 1)
 * @last: the highest, or 0 for the model's last
 */
void
attn_session_set_layer_range (AttnSession *self,
                              guint        first,
                              guint        last)
{
  g_return_if_fail (ATTN_IS_SESSION (self));

  if (first == self->first_layer && last == self->last_layer)
    return;
  g_object_freeze_notify (G_OBJECT (self));
  if (first != self->first_layer)
    g_object_notify_by_pspec (G_OBJECT (self), properties[SESSION_PROP_FIRST_LAYER]);
  if (last != self->last_layer)
    g_object_notify_by_pspec (G_OBJECT (self), properties[SESSION_PROP_LAST_LAYER]);
  self->first_layer = first;
  self->last_layer = last;
  g_object_thaw_notify (G_OBJECT (self));
  attn_session_get_shown_layers (self, &first, NULL);
  /* a node selected below the layers now shown (the bottom row is their
   * input) has none of its paths in them: the graph was empty, the status
   * line's value from hidden layers, and Copy Command's --layer below
   * --layers was refused; the selection goes */
  if (self->sel_layer > 0 && self->sel_layer < first)
    attn_session_select (self, 0, 0, -1);
  else
    _attn_session_update_scene (self);
}

/**
 * attn_session_get_layer_range:
 * @first: (out) (optional): the lowest layer drawn (0 is 1)
 * @last: (out) (optional): the highest (0 is L)
 */
void
attn_session_get_layer_range (AttnSession *self,
                              guint       *first,
                              guint       *last)
{
  g_return_if_fail (ATTN_IS_SESSION (self));

  if (first)
    *first = self->first_layer;
  if (last)
    *last = self->last_layer;
}

/**
 * attn_session_get_shown_layers:
 * @first: (out) (optional): the lowest layer shown of the example's, 1..@last
 * @last: (out) (optional): the highest shown, 1..L
 *
 * The layer range, clamped to the example's model by
 * attn_layer_range_resolve(): the layers the graph, its heatmap and their
 * figures show. Without an example, the range as set (0 is 1, and L).
 */
void
attn_session_get_shown_layers (AttnSession *self,
                               guint       *first,
                               guint       *last)
{
  guint shown_first = self->first_layer, shown_last = self->last_layer;

  g_return_if_fail (ATTN_IS_SESSION (self));

  if (self->example != NULL)
    attn_layer_range_resolve (self->first_layer, self->last_layer,
                              attn_example_get_n_layers (self->example), &shown_first, &shown_last);
  if (first)
    *first = shown_first;
  if (last)
    *last = shown_last;
}

/**
 * attn_session_select:
 * @layer: the node's layer 1..L, or 0 for no selection
 * @position: its position
 * @sink: an input token: only the paths to it; -1 for all
 *
 * Selects a node and computes its trace (a new selection cancels the
 * running one). A node under the layers shown is no selection (see
 * attn_session_activate_node()): a selection restored on going back to an
 * example, or on its file's reload, may be one.
 */
void
attn_session_select (AttnSession *self,
                     guint        layer,
                     guint        position,
                     int          sink)
{
  guint first;

  g_return_if_fail (ATTN_IS_SESSION (self));

  attn_session_get_shown_layers (self, &first, NULL);
  if (layer < first)
    layer = 0;
  self->sel_layer = layer;
  self->sel_position = layer > 0 ? position : 0;
  self->sel_sink = layer > 0 ? sink : -1;
  _attn_session_refresh (self);
}

/**
 * attn_session_activate_node:
 * @layer: 0..L
 * @position: the node's position
 *
 * What a click on node (@layer, @position) does: a node above the inputs
 * becomes the selection; an input token restricts the selection's paths to
 * it, or, clicked again, lifts the restriction. With a range of layers
 * shown, the bottom row (the layer under them, their input) holds no
 * selection: none of its paths are in the range.
 *
 * Returns: %FALSE for an input token while no node is selected, or a node
 *   under the layers shown (nothing happens)
 */
gboolean
attn_session_activate_node (AttnSession *self,
                            guint        layer,
                            guint        position)
{
  guint first;

  g_return_val_if_fail (ATTN_IS_SESSION (self), FALSE);

  if (self->example == NULL)
    return TRUE;
  attn_session_get_shown_layers (self, &first, NULL);
  if (layer > 0 && layer < first)
    return FALSE;
  if (layer > 0)
    attn_session_select (self, layer, position, -1);
  else if (self->sel_layer == 0)
    return FALSE;
  else
    attn_session_select (self, self->sel_layer, self->sel_position,
                         self->sel_sink == (int) position ? -1 : (int) position);
  return TRUE;
}

/**
 * attn_session_get_selection:
 * @layer: (out) (optional)
 * @position: (out) (optional)
 * @sink: (out) (optional)
 *
 * Returns: whether a node is selected (asked for; its trace may still be
 *   computing)
 */
gboolean
attn_session_get_selection (AttnSession *self,
                            guint       *layer,
                            guint       *position,
                            int         *sink)
{
  g_return_val_if_fail (ATTN_IS_SESSION (self), FALSE);

  if (layer)
    *layer = self->sel_layer;
  if (position)
    *position = self->sel_position;
  if (sink)
    *sink = self->sel_sink;
  return self->sel_layer > 0;
}

void
attn_session_clear_selection (AttnSession *self)
{
  g_return_if_fail (ATTN_IS_SESSION (self));

  if (self->sel_layer > 0)
    attn_session_select (self, 0, 0, -1);
}

/**
 * attn_session_get_heat_position:
 *
 * Returns: the position of the heatmap: the selected node's, else the focus
 */
guint
attn_session_get_heat_position (AttnSession *self)
{
  AttnTraceQuery query;

  g_return_val_if_fail (ATTN_IS_SESSION (self), 0);

  _attn_session_current_query (self, &query);
  return query.heat_position;
}

/**
 * attn_session_request_every_node:
 *
 * Computes the un-clicked flow view of a long input too (see
 * #AttnSession:every-node-offered).
 */
void
attn_session_request_every_node (AttnSession *self)
{
  g_return_if_fail (ATTN_IS_SESSION (self));

  self->every_node_requested = TRUE;
  _attn_session_refresh (self);
}

gboolean
attn_session_get_every_node_offered (AttnSession *self)
{
  g_return_val_if_fail (ATTN_IS_SESSION (self), FALSE);

  return self->example != NULL && self->method == ATTN_METHOD_FLOW && self->sel_layer == 0 &&
         !_attn_session_every_node_wanted (self);
}

gboolean
attn_session_get_busy (AttnSession *self)
{
  g_return_val_if_fail (ATTN_IS_SESSION (self), FALSE);

  return self->busy;
}

double
attn_session_get_progress (AttnSession *self)
{
  g_return_val_if_fail (ATTN_IS_SESSION (self), -1.);

  return self->progress;
}

/**
 * attn_session_get_graph:
 *
 * Returns: (transfer none) (nullable): the example's graph, once built
 */
AttnGraph *
attn_session_get_graph (AttnSession *self)
{
  g_return_val_if_fail (ATTN_IS_SESSION (self), NULL);

  return self->graph;
}

/**
 * attn_session_get_trace:
 *
 * Returns: (transfer none) (nullable): what to show (#AttnSession:trace)
 */
AttnTrace *
attn_session_get_trace (AttnSession *self)
{
  g_return_val_if_fail (ATTN_IS_SESSION (self), NULL);

  return self->trace;
}

/**
 * attn_session_get_scene:
 *
 * Returns: (transfer none) (nullable): what the graph shows (#AttnSession:scene)
 */
AttnGraphScene *
attn_session_get_scene (AttnSession *self)
{
  g_return_val_if_fail (ATTN_IS_SESSION (self), NULL);

  return self->scene;
}

/**
 * attn_session_get_heatmap:
 * @method: a method
 *
 * Returns: (nullable) (array): L·n values, `[(l-1)*n + j]` the importance of
 *   input j for node (l, heat position) under @method, or %NULL when they are
 *   not there (not asked for, or computing); see
 *   attn_session_get_heatmap_position()
 */
const double *
attn_session_get_heatmap (AttnSession *self,
                          AttnMethod   method)
{
  g_return_val_if_fail (ATTN_IS_SESSION (self), NULL);
  g_return_val_if_fail (method < ATTN_N_METHODS, NULL);

  return self->heat.method[method];
}

/**
 * attn_session_get_heatmap_partial:
 * @method: flow, or another method of the heatmap (attn_session_set_all_methods())
 * @n_layers: (out): how many layers of flow, from the bottom, hold their values
 * @position: (out) (optional): the position they are of (the one
 *   attn_session_get_heatmap_position() will give, not yet)
 *
 * The heatmap while flow's is computed: flow's layers that are complete,
 * bottom first (rows above @n_layers are 0). Each comes as soon as its
 * max-flows are done, with the values attn_session_get_heatmap() gives at
 * the end. The other methods' values are there whole from the first.
 *
 * Returns: (nullable) (array): L·n values laid out as
 *   attn_session_get_heatmap()'s, or %NULL when no layer of flow is done
 *   yet, the whole heatmap is there, or the heatmap has not @method
 */
const double *
attn_session_get_heatmap_partial (AttnSession *self,
                                  AttnMethod   method,
                                  guint       *n_layers,
                                  guint       *position)
{
  g_return_val_if_fail (ATTN_IS_SESSION (self), NULL);
  g_return_val_if_fail (method < ATTN_N_METHODS, NULL);
  g_return_val_if_fail (n_layers != NULL, NULL);

  *n_layers = self->heat_partial.method[ATTN_METHOD_FLOW] != NULL ? self->heat_partial_layers : 0;
  if (position != NULL)
    *position = self->heat_partial_position;
  return *n_layers > 0 ? self->heat_partial.method[method] : NULL;
}

/**
 * attn_session_get_heatmap_position:
 *
 * Returns: the position of the heatmap's values (attn_session_get_heatmap()),
 *   which trail attn_session_get_heat_position() while they are computed
 */
guint
attn_session_get_heatmap_position (AttnSession *self)
{
  g_return_val_if_fail (ATTN_IS_SESSION (self), 0);

  return self->heat_position;
}

/**
 * attn_session_get_heatmap_error:
 *
 * Returns: (nullable): why the heatmap's values could not be computed
 */
const char *
attn_session_get_heatmap_error (AttnSession *self)
{
  g_return_val_if_fail (ATTN_IS_SESSION (self), NULL);

  return self->heatmap_error;
}

/**
 * attn_session_cancel:
 *
 * Cancels every job (the window closes); the results so far stay.
 */
void
attn_session_cancel (AttnSession *self)
{
  g_return_if_fail (ATTN_IS_SESSION (self));

  for (guint k = 0; k < ATTN_SESSION_N_JOBS; k++)
    _attn_session_cancel_job (self, k);
  _attn_session_update_busy (self);
}

/* Test hooks (attn-session-private.h) */

GCancellable *
_attn_session_get_trace_cancellable (AttnSession *self)
{
  g_return_val_if_fail (ATTN_IS_SESSION (self), NULL);

  return self->jobs[ATTN_SESSION_JOB_TRACE] ? self->jobs[ATTN_SESSION_JOB_TRACE]->cancellable : NULL;
}

guint
_attn_session_get_n_heatmap_values (AttnSession *self)
{
  g_return_val_if_fail (ATTN_IS_SESSION (self), 0);

  return self->n_heatmap_values;
}

void
_attn_session_set_progressive_min (AttnSession *self,
                                   guint        n_tokens)
{
  g_return_if_fail (ATTN_IS_SESSION (self));

  self->progressive_min = n_tokens;
}

void
_attn_session_set_cache_bytes (AttnSession *self,
                               gsize        bytes)
{
  g_return_if_fail (ATTN_IS_SESSION (self));

  self->cache_bytes_max = bytes;
}
