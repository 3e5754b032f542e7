/* attn-core.h: the whole core API
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "attn-error.h"
#include "attn-example.h"
#include "attn-example-search.h"
#include "attn-file.h"
#include "attn-document.h"
#include "attn-graph.h"
#include "attn-graph-settings.h"
#include "attn-install.h"
#include "attn-keyword.h"
#include "attn-rollout.h"
#include "attn-flow.h"
#include "attn-method.h"
#include "attn-progress.h"
#include "attn-statistics.h"
#include "attn-task.h"
#include "attn-correlation.h"
#include "attn-antecedents.h"
#include "attn-trace.h"
