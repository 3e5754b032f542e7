/* attn-render.h: the whole render API
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "attn-batch.h"
#include "attn-colormap.h"
#include "attn-evaluation-plot.h"
#include "attn-export.h"
#include "attn-figure-style.h"
#include "attn-figure.h"
#include "attn-graph-layout.h"
#include "attn-graph-renderer.h"
#include "attn-graph-scene.h"
#include "attn-session.h"
