/* attn-graph-raster.c: the graph's edges rasterised straight into an image
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "attn-graph-renderer.h"
#include "attn-render-private.h"

#define LUT_SIZE 1024

/* The raster path.
 *
 * Every edge is a straight band of width W between two node rows. Within one
 * pixel row it covers a trapezoid in x (a box of the band's horizontal width
 * swept by its slope), which is piecewise linear: four kinks (three when the
 * top is empty, the usual case for 1 px lines). Each kink adds a ramp,
 * written as two entries of a second-order difference array, so an edge
 * costs O(1) per pixel row whatever its length; two prefix sums turn the row
 * into per-pixel coverage. The sums are in 64-bit fixed point, so the ramps
 * of an edge cancel exactly after it. Edges are composited
 * order-independently as optical density: an edge of opacity a adds
 * -ln(1 - a) per unit coverage, and its colour-map position t weighted by
 * that density; the pixel's opacity is 1 - exp(-D) and its colour the map at
 * the density-weighted mean t. Where edges of one colour cross this is
 * exactly cairo's OVER. The saturated edges are composited so in a pass of
 * their own, and the others over them in a second one (the vector path
 * strokes them first). Layers are shared out between threads, each writing
 * its own pixel rows. */

/* The level of detail keeps at most this many edges per device pixel of a
 * band's width (the densest) */
#define BAND_EDGES_PER_PIXEL 16

#define FIX_SHIFT 24
#define FIX_ONE ((double) (1 << FIX_SHIFT))
#define ALPHA_LUT_SIZE 4096
#define ALPHA_LUT_MAX 16.

typedef struct
{
  float  x0;        /* device x at the upper row */
  float  dx;        /* device x at the lower row minus x0 */
  float  half_out;  /* half of the trapezoid's base */
  float  half_in;   /* half of its top (0: a triangle) */
  gint64 c;         /* slope of the ramps, density per pixel², fixed point */
  gint64 ct;        /* c · t */
  double cd;        /* c and ct as doubles, converted once rather than per */
  double ctd;       /* pixel row (exactly: both are far below 2^53) */
  float  wh;        /* horizontal width of the band */
  float  s;         /* x travel per pixel row */
  float  density;   /* -ln(1 - alpha), fixed point */
  float  t;
  gboolean saturated;
} RasterEdge;

typedef struct
{
  const AttnGraphLayout *layout;
  const AttnGraphScene  *scene;
  const AttnFigureStyle *style;
  double                 scale_max;
  double                 scale;
  guchar                *data;
  int                    width;
  int                    height;
  int                    stride;
  GCancellable          *cancellable;
  float                  lut[LUT_SIZE][3];
  float                  alpha_lut[ALPHA_LUT_SIZE + 1];
  double                 lw;           /* line width, device pixels */
  gboolean               lod;          /* level of detail: the screen's image */
  struct RasterBand     *bands;
  guint                  n_bands;
  int                    row_first;
  int                    row_last;
  gboolean               saturated;    /* the pass: the saturated edges, or the others */
  gint                   next_chunk;   /* atomic: the next block of rows to draw */
  gint                   next_band;    /* atomic: the next band to prepare */
} Raster;

typedef struct RasterBand
{
  guint       layer;
  RasterEdge *edges;
  gsize       n_edges;
  gsize       n_saturated;  /* the first n_saturated of the edges */
  double      y_top;
  double      y_bottom;
  int         j_lo;     /* the pixel columns its edges can reach, */
  int         j_hi;     /* on any of its rows */
} RasterBand;

/* The first pixel column whose centre is at @a or right of it: 0 for an @a
 * left of the row */
static inline int
first_column (double a)
{
  return a < -0.5 ? 0 : (int) (a + 0.5);
}

/* Second differences (@v, @vt) at pixel column @j and (@w, @wt) at j + 1 */
static inline void
add_at (gint64 *acc,
        int     j,
        gint64  v,
        gint64  vt,
        gint64  w,
        gint64  wt)
{
  acc += 2 * j;
  acc[0] += v;
  acc[1] += vt;
  acc[2] += w;
  acc[3] += wt;
}

static inline void
add_ramp_with (gint64 *acc,
               int     width,
               double  a,
               gint64  c,
               gint64  ct,
               double  cd,
               double  ctd)
{
  /* Ramp of slope c starting at a, sampled at pixel centres j + 0.5:
   * second differences c·δ at j0 and c·(1 - δ) at j0 + 1 (@cd and @ctd are
   * @c and @ct as doubles). Started left of the row: its value at pixel 0
   * and slope onwards (j0 = 0, δ = 0.5 - a). */
  int j0 = first_column (a);
  double delta = j0 + 0.5 - a;
  gint64 v, vt;

  if (j0 >= width)
    return;
  v = (gint64) (cd * delta);
  vt = (gint64) (ctd * delta);
  add_at (acc, j0, v, vt, c - v, ct - vt);
}

static inline void
add_ramp (gint64 *acc,
          int     width,
          double  a,
          gint64  c,
          gint64  ct)
{
  add_ramp_with (acc, width, a, c, ct, (double) c, (double) ct);
}

/* A step of height v from a on (sampled at pixel centres). */
static inline void
add_step (gint64 *acc,
          int     width,
          double  a,
          gint64  v,
          gint64  vt)
{
  int j0 = first_column (a);

  if (j0 >= width)
    return;
  add_at (acc, j0, v, vt, -v, -vt);
}

/* A butt cap at @x: the kinks (@a, @k, @kt) left of @x summed into a step and
 * a ramp at @x, added (@sign 1) where a left cut starts the line, taken away
 * (@sign -1) where a right cut ends it. */
static void
add_cut (gint64       *acc,
         int           width,
         const double *a,
         const gint64 *k,
         const gint64 *kt,
         int           m,
         double        x,
         int           sign)
{
  double f = 0., ft = 0.;
  gint64 slope = 0, slope_t = 0;

  for (int i = 0; i < m; i++)
    if (a[i] < x)
      {
        f += k[i] * (x - a[i]);
        ft += kt[i] * (x - a[i]);
        slope += k[i];
        slope_t += kt[i];
      }
  add_step (acc, width, x, sign * (gint64) f, sign * (gint64) ft);
  add_ramp (acc, width, x, sign * slope, sign * slope_t);
}

/* An edge in a row near one of its end nodes: the part of the line inside
 * the row (height h) with the band's full width, cut at xl on the left and
 * xr on the right by the line's butt caps, so nothing is drawn past a node. */
static void
add_end_row (gint64           *acc,
             int               width,
             const RasterEdge *e,
             double            xc,
             double            h,
             double            xl,
             double            xr)
{
  double sweep = e->s * h;
  double ramp = MAX (1., MIN (e->wh, sweep));
  double half_out = (MAX (e->wh, sweep) + ramp) / 2.;
  double half_in = half_out - ramp;
  double peak = e->wh * h / (2. * half_out - ramp);
  gint64 c = (gint64) (peak * e->density / ramp), ct = (gint64) (peak * e->density / ramp * e->t);
  double a[4];
  gint64 k[4], kt[4];
  int m = 0;

  a[m] = xc - half_out, k[m] = c, kt[m++] = ct;
  if (half_in >= 0.02)
    {
      a[m] = xc - half_in, k[m] = -c, kt[m++] = -ct;
      a[m] = xc + half_in, k[m] = -c, kt[m++] = -ct;
    }
  else
    a[m] = xc, k[m] = -2 * c, kt[m++] = -2 * ct;
  a[m] = xc + half_out, k[m] = c, kt[m++] = ct;

  gboolean left_cut = xl > a[0], right_cut = xr < a[m - 1];

  if (xl >= xr || xr <= a[0] || xl >= a[m - 1])
    return;

  if (left_cut)
    add_cut (acc, width, a, k, kt, m, xl, 1);
  for (int i = 0; i < m; i++)
    if ((!left_cut || a[i] >= xl) && (!right_cut || a[i] < xr))
      add_ramp (acc, width, a[i], k[i], kt[i]);
  if (right_cut)
    add_cut (acc, width, a, k, kt, m, xr, -1);
}

/* One band of width lw (device pixels; ATTN_SATURATED_WIDTH of it when
 * @saturated) from x = @xq on the upper row to @xk on the lower one, @band
 * rows apart, of optical density @density per unit coverage and colour-map
 * position @t */
static void
set_raster_edge (double      lw,
                 double      band,
                 double      xq,
                 double      xk,
                 double      density,
                 float       t,
                 gboolean    saturated,
                 RasterEdge *e)
{
  double s = fabs (xk - xq) / band;                 /* x travel per pixel row */
  double w = saturated ? lw * ATTN_SATURATED_WIDTH : lw;
  double wh = w * sqrt (1. + s * s);                /* horizontal width of the band */
  double ramp = MAX (1., MIN (wh, s));
  double half_out = (MAX (wh, s) + ramp) / 2.;
  double half_in = half_out - ramp;
  double peak = wh / (2. * half_out - ramp);        /* keeps the area equal to wh */
  double slope = peak * density / ramp * FIX_ONE;
  gint64 c = (gint64) slope, ct = (gint64) (slope * t);

  *e = (RasterEdge) {
    (float) xq, (float) (xk - xq), (float) half_out, half_in < 0.02 ? 0.f : (float) half_in,
    c, ct, (double) c, (double) ct, (float) wh, (float) s, (float) (density * FIX_ONE), t, saturated
  };
}

static double
edge_density (const Raster *r,
              float         t,
              gboolean      saturated)
{
  return -log1p (-_attn_graph_stroke_alpha (r->scene, t, saturated));
}

/* Level of detail (the screen's image): where more than one node falls on
 * a device pixel, the edges between the same pixels are drawn as one, with
 * their densities summed (what the pixels would get from them apart) and
 * the density-weighted mean colour and position. */
typedef struct
{
  double density;
  double density_t;
  double density_xq;
  double density_xk;
} Bin;

static gsize
aggregate_band (Raster       *r,
                guint         layer,
                const float  *visible,
                const guint8 *saturated,
                gboolean      pass,
                guint         bin,
                double        band,
                RasterEdge   *edges)
{
  guint n = attn_graph_layout_get_n_tokens (r->layout), n_bins = (n + bin - 1) / bin;
  double x0, x1, y, dx;
  g_autofree Bin *bins = g_new0 (Bin, n_bins);
  gsize n_edges = 0;

  /* positions are spaced evenly, the same on every row */
  attn_graph_layout_get_node (r->layout, layer, 0, &x0, &y);
  attn_graph_layout_get_node (r->layout, layer, 1, &x1, &y);
  x0 *= r->scale;
  dx = (x1 * r->scale) - x0;
  for (guint qb = 0; qb < n_bins; qb++)
    {
      for (guint q = qb * bin; q < MIN (n, (qb + 1) * bin); q++)
        for (guint k = 0; k < n; k++)
          {
            float t = visible[(gsize) q * n + k];
            double d;
            Bin *b;

            if (t <= 0.f || saturated[(gsize) q * n + k] != pass)
              continue;
            d = edge_density (r, t, pass);
            b = &bins[k / bin];
            b->density += d;
            b->density_t += d * t;
            b->density_xq += d * (x0 + q * dx);
            b->density_xk += d * (x0 + k * dx);
          }
      for (guint kb = 0; kb < n_bins; kb++)
        {
          Bin *b = &bins[kb];

          if (b->density <= 0.)
            continue;
          set_raster_edge (r->lw, band, b->density_xq / b->density, b->density_xk / b->density,
                           b->density, (float) (b->density_t / b->density), pass, &edges[n_edges++]);
          *b = (Bin) { 0., 0., 0., 0. };
        }
    }
  return n_edges;
}

/* The @k-th largest of @n values (from 0), reordering them */
static float
select_largest (float  *d,
                gssize  n,
                gssize  k)
{
  gssize lo = 0, hi = n - 1;

  while (lo < hi)
    {
      float pivot = d[lo + (hi - lo) / 2], swap;
      gssize lt = lo, i = lo, gt = hi;

      /* larger than the pivot first, then equal, then smaller */
      while (i <= gt)
        {
          if (d[i] > pivot)
            {
              swap = d[lt], d[lt] = d[i], d[i] = swap;
              lt++, i++;
            }
          else if (d[i] < pivot)
            {
              swap = d[gt], d[gt] = d[i], d[i] = swap;
              gt--;
            }
          else
            i++;
        }
      if (k < lt)
        hi = lt - 1;
      else if (k > gt)
        lo = gt + 1;
      else
        return pivot;
    }
  return d[lo];
}

/* The @keep densest of @n edges (ties kept), in their order */
static gsize
keep_densest (RasterEdge *edges,
              gsize       n,
              gsize       keep)
{
  g_autofree float *d = g_new (float, n);
  gsize kept = 0;
  float floor_density;

  for (gsize i = 0; i < n; i++)
    d[i] = edges[i].density;
  floor_density = select_largest (d, (gssize) n, (gssize) keep - 1);
  for (gsize i = 0; i < n; i++)
    if (edges[i].density >= floor_density)
      edges[kept++] = edges[i];
  return kept;
}

/* The pixel columns @band's edges can reach on its rows, with a pixel to
 * spare: raster_row() adds up its rows over these, rather than working out
 * each edge's columns on each row */
static void
band_columns (const Raster *r,
              RasterBand   *band)
{
  double height = band->y_bottom - band->y_top, m = r->lw / 2. + 0.5;
  double u0 = -m / height, u1 = 1. + m / height, lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE;

  for (gsize i = 0; i < band->n_edges; i++)
    {
      const RasterEdge *e = &band->edges[i];
      double xa = e->x0 + u0 * e->dx, xb = e->x0 + u1 * e->dx;

      lo = MIN (lo, MIN (xa, xb) - e->half_out);
      hi = MAX (hi, MAX (xa, xb) + e->half_out);
    }
  band->j_lo = 0;
  band->j_hi = r->width + 2;
  if (height > 0. && lo >= -1. && lo <= r->width)
    band->j_lo = (int) lo - 1;
  if (height > 0. && hi >= -1. && hi <= r->width)
    band->j_hi = (int) hi + 3;
}

/* The visible edges of one layer, in device coordinates, the saturated ones
 * first. */
static void
prepare_band (Raster     *r,
              guint       layer,
              float      *visible,
              guint8     *saturated,
              RasterBand *out)
{
  guint n = attn_graph_layout_get_n_tokens (r->layout);
  double x, y_top, y_bottom, band, spacing;
  gsize n_edges = 0, n_visible = 0, limit;
  guint bin = 1;
  RasterEdge *edges;

  _attn_graph_visible_edges (r->scene, r->style, layer, r->scale_max, visible, saturated);
  attn_graph_layout_get_node (r->layout, layer, 0, &x, &y_top);
  attn_graph_layout_get_node (r->layout, layer - 1, 0, &x, &y_bottom);
  y_top *= r->scale;
  y_bottom *= r->scale;
  band = y_bottom - y_top;
  for (gsize i = 0; i < (gsize) n * n; i++)
    n_visible += visible[i] > 0.f;
  out->edges = edges = g_new (RasterEdge, MAX (n_visible, 1));
  out->y_top = y_top;
  out->y_bottom = y_bottom;

  if (n > 1)
    {
      double x1, y;

      attn_graph_layout_get_node (r->layout, layer, 1, &x1, &y);
      spacing = (x1 - x) * r->scale;
      if (r->lod && spacing > 0. && spacing < 1.)
        bin = (guint) ceil (1. / spacing);
    }
  for (int pass = TRUE; pass >= FALSE; pass--)
    if (bin > 1)
      n_edges += aggregate_band (r, layer, visible, saturated, pass, bin, band, edges + n_edges);
    else
      for (gsize i = 0; i < (gsize) n * n; i++)
        {
          float t = visible[i];
          double xq, xk, yy;

          if (t <= 0.f || saturated[i] != pass)
            continue;
          attn_graph_layout_get_node (r->layout, layer, i / n, &xq, &yy);
          attn_graph_layout_get_node (r->layout, layer - 1, i % n, &xk, &yy);
          set_raster_edge (r->lw, band, xq * r->scale, xk * r->scale, edge_density (r, t, pass), t,
                           pass, &edges[n_edges++]);
        }

  /* level of detail: no more edges than a few per pixel of the band's width */
  limit = (gsize) BAND_EDGES_PER_PIXEL * MAX (r->width, 1);
  if (r->lod && n_edges > limit)
    n_edges = keep_densest (edges, n_edges, limit);
  out->n_edges = n_edges;
  out->n_saturated = 0;
  while (out->n_saturated < n_edges && edges[out->n_saturated].saturated)
    out->n_saturated++;
  band_columns (r, out);
}

/* The x range an end row of @e covers, cut by its butt caps; FALSE when
 * the row is past the end of a (nearly) vertical edge. */
static inline gboolean
end_row_limits (const RasterBand *band,
                const RasterEdge *e,
                double            y_mid,
                gboolean          near_top,
                gboolean          near_bottom,
                double           *xl,
                double           *xr)
{
  *xl = -G_MAXDOUBLE;
  *xr = G_MAXDOUBLE;
  if (e->s < 0.05)
    {
      /* (nearly) vertical: the caps are horizontal */
      return y_mid >= band->y_top && y_mid <= band->y_bottom;
    }

  /* the butt caps: perpendicular to the line through its ends */
  if (near_top)
    {
      if (e->dx > 0)
        *xl = e->x0 - (y_mid - band->y_top) / e->s - 0.5;
      else
        *xr = e->x0 + (y_mid - band->y_top) / e->s + 0.5;
    }
  if (near_bottom)
    {
      if (e->dx > 0)
        *xr = e->x0 + e->dx + (band->y_bottom - y_mid) / e->s + 0.5;
      else
        *xl = e->x0 + e->dx - (band->y_bottom - y_mid) / e->s - 0.5;
    }
  return TRUE;
}

/* Composites coverage @d (fixed point) of colour position @dt / @d over *@pixel */
static inline void
blend_pixel (const Raster *r,
             guint32      *pixel,
             gint64        d,
             gint64        dt)
{
  double df = d / FIX_ONE, a, inv, f;
  double tt = CLAMP ((double) dt / (double) d, 0., 1.);
  const float *rgb = r->lut[(int) (tt * (LUT_SIZE - 1) + 0.5)];
  guint32 p = *pixel;
  guint32 pa = p >> 24, pr = (p >> 16) & 0xff, pg = (p >> 8) & 0xff, pb = p & 0xff;
  int ai;

  if (df >= ALPHA_LUT_MAX)
    a = 1.;
  else
    {
      f = df * (ALPHA_LUT_SIZE / ALPHA_LUT_MAX);
      ai = (int) f;
      f -= ai;
      a = r->alpha_lut[ai] + f * (r->alpha_lut[ai + 1] - r->alpha_lut[ai]);
    }
  inv = 1. - a;
  pa = (guint32) (a * 255. + pa * inv + 0.5);
  pr = (guint32) (a * rgb[0] * 255. + pr * inv + 0.5);
  pg = (guint32) (a * rgb[1] * 255. + pg * inv + 0.5);
  pb = (guint32) (a * rgb[2] * 255. + pb * inv + 0.5);
  *pixel = (pa << 24) | (pr << 16) | (pg << 8) | pb;
}

static void
raster_row (Raster *r,
            int     row,
            gint64 *acc)
{
  guint32 *pixels = (guint32 *) (r->data + (gsize) row * r->stride);
  gint64 d = 0, dt = 0, sd = 0, sdt = 0;
  int lo = r->width, hi = 0, width = r->width;
  double m = r->lw / 2. + 0.5, end_rows = r->lw / 2. + 1.;

  for (guint b = 0; b < r->n_bands; b++)
    {
      const RasterBand *band = &r->bands[b];
      double ext_top = band->y_top - m, ext_bottom = band->y_bottom + m;
      double v0, v1, h, u, y_mid, height = band->y_bottom - band->y_top;
      gsize from = r->saturated ? 0 : band->n_saturated;
      gsize to = r->saturated ? band->n_saturated : band->n_edges;
      gboolean near_top, near_bottom;

      if (from == to || row + 1. <= ext_top || row >= ext_bottom)
        continue;
      v0 = MAX ((double) row, ext_top);
      v1 = MIN (row + 1., ext_bottom);
      h = v1 - v0;
      y_mid = (v0 + v1) / 2.;
      u = (y_mid - band->y_top) / height;
      near_top = v0 < band->y_top + end_rows;
      near_bottom = v1 > band->y_bottom - end_rows;
      lo = MIN (lo, band->j_lo);
      hi = MAX (hi, band->j_hi);

      for (gsize i = from; i < to; i++)
        {
          const RasterEdge *e = &band->edges[i];
          double xc = e->x0 + u * e->dx;

          if (near_top || near_bottom)
            {
              double xl, xr;

              if (end_row_limits (band, e, y_mid, near_top, near_bottom, &xl, &xr))
                add_end_row (acc, width, e, xc, h, xl, xr);
              continue;
            }

          add_ramp_with (acc, width, xc - e->half_out, e->c, e->ct, e->cd, e->ctd);
          if (e->half_in > 0.f)
            {
              add_ramp_with (acc, width, xc - e->half_in, -e->c, -e->ct, -e->cd, -e->ctd);
              add_ramp_with (acc, width, xc + e->half_in, -e->c, -e->ct, -e->cd, -e->ctd);
            }
          else
            add_ramp_with (acc, width, xc, -2 * e->c, -2 * e->ct, -2. * e->cd, -2. * e->ctd);
          add_ramp_with (acc, width, xc + e->half_out, e->c, e->ct, e->cd, e->ctd);
        }
    }

  lo = MAX (0, lo);
  hi = MIN (width + 2, hi);
  if (acc[0] != 0 || acc[1] != 0)
    lo = 0;

  for (int j = lo; j < hi; j++)
    {
      sd += acc[2 * j];
      sdt += acc[2 * j + 1];
      d += sd;
      dt += sdt;
      acc[2 * j] = acc[2 * j + 1] = 0;
      if (j < width && d > 16)
        blend_pixel (r, &pixels[j], d, dt);
    }
  /* Anything right of hi was never written, or is zeroed here. */
  for (int j = hi; j < width + 3; j++)
    {
      if (acc[2 * j] == 0 && acc[2 * j + 1] == 0)
        break;
      acc[2 * j] = acc[2 * j + 1] = 0;
    }
}

#define ROW_CHUNK 16

static gpointer
raster_worker (gpointer data)
{
  Raster *r = data;
  g_autofree gint64 *acc = g_new0 (gint64, 2 * ((gsize) r->width + 4));

  for (;;)
    {
      int start = r->row_first + ROW_CHUNK * g_atomic_int_add (&r->next_chunk, 1);

      if (start >= r->row_last)
        break;
      if (r->cancellable != NULL && g_cancellable_is_cancelled (r->cancellable))
        break;
      for (int row = start; row < MIN (start + ROW_CHUNK, r->row_last); row++)
        raster_row (r, row, acc);
    }

  return NULL;
}

/* Prepares bands not taken yet, each with its own visibility buffer */
static gpointer
prepare_worker (gpointer data)
{
  Raster *r = data;
  guint n = attn_graph_layout_get_n_tokens (r->layout), b;
  g_autofree float *visible = g_new (float, (gsize) n * n);
  g_autofree guint8 *saturated = g_new (guint8, (gsize) n * n);

  while ((b = (guint) g_atomic_int_add (&r->next_band, 1)) < r->n_bands)
    {
      if (r->cancellable != NULL && g_cancellable_is_cancelled (r->cancellable))
        break;
      prepare_band (r, r->bands[b].layer, visible, saturated, &r->bands[b]);
    }
  return NULL;
}

#define MAX_THREADS 4

/* Runs @worker on @r here and on up to @n_threads - 1 more threads; the
 * workers take their parts in turn, so a thread that cannot start leaves
 * its parts to the others. */
static void
run_workers (GThreadFunc  worker,
             Raster      *r,
             guint        n_threads)
{
  GThread *threads[MAX_THREADS] = { NULL };

  for (guint i = 1; i < MIN (n_threads, MAX_THREADS); i++)
    threads[i] = g_thread_try_new ("attn-raster", worker, r, NULL);
  worker (r);
  for (guint i = 1; i < MAX_THREADS; i++)
    if (threads[i] != NULL)
      g_thread_join (threads[i]);
}

/* The colour and opacity tables */
static void
raster_init_tables (Raster                *r,
                    const AttnFigureStyle *style)
{
  for (guint i = 0; i < LUT_SIZE; i++)
    {
      double cr, cg, cb;

      attn_colormap_lookup (style->colormap,
                            _attn_graph_map_position (style, (double) i / (LUT_SIZE - 1)),
                            &cr, &cg, &cb);
      r->lut[i][0] = cr;
      r->lut[i][1] = cg;
      r->lut[i][2] = cb;
    }
  for (guint i = 0; i <= ALPHA_LUT_SIZE; i++)
    r->alpha_lut[i] = -expm1 (-(double) i * ALPHA_LUT_MAX / ALPHA_LUT_SIZE);
}

void
_attn_graph_raster_edges (const AttnGraphPaint *paint,
                          double                scale,
                          cairo_surface_t      *surface,
                          GCancellable         *cancellable)
{
  guint n = paint->n, first = paint->first, last = paint->last;
  guint n_threads = MIN (g_get_num_processors (), MAX_THREADS);
  g_autofree Raster *r = g_new0 (Raster, 1);
  g_autofree RasterBand *bands = g_new0 (RasterBand, last - first + 1);
  double top = G_MAXDOUBLE, bottom = -G_MAXDOUBLE;

  r->layout = paint->layout;
  r->scene = paint->scene;
  r->style = paint->style;
  r->scale_max = paint->scale_max;
  r->scale = scale;
  r->lw = _attn_graph_line_width (paint->layout) * scale;
  r->lod = paint->lod;
  r->data = cairo_image_surface_get_data (surface);
  r->width = cairo_image_surface_get_width (surface);
  r->height = cairo_image_surface_get_height (surface);
  r->stride = cairo_image_surface_get_stride (surface);
  r->cancellable = cancellable;
  r->bands = bands;
  raster_init_tables (r, paint->style);

  for (guint l = first; l <= last; l++)
    if (attn_graph_scene_has_layer (paint->scene, l))
      bands[r->n_bands++].layer = l;
  if (n < 24)
    n_threads = 1;
  /* the bands' edges, a band at a time on each thread */
  run_workers (prepare_worker, r, n_threads);
  for (guint b = 0; b < r->n_bands; b++)
    {
      top = MIN (top, bands[b].y_top);
      bottom = MAX (bottom, bands[b].y_bottom);
    }
  if (r->n_bands > 0 && !(cancellable != NULL && g_cancellable_is_cancelled (cancellable)))
    {
      r->row_first = MAX (0, (int) floor (top - r->lw / 2. - 0.5));
      r->row_last = MIN (r->height, (int) ceil (bottom + r->lw / 2. + 0.5));

      /* the rows, a chunk at a time on each thread (small figures are not
       * worth a thread): the saturated edges, then the others over them */
      for (int pass = TRUE; pass >= FALSE; pass--)
        {
          r->saturated = pass;
          r->next_chunk = 0;
          run_workers (raster_worker, r, n_threads);
        }
    }
  for (guint b = 0; b < r->n_bands; b++)
    g_free (bands[b].edges);
}
