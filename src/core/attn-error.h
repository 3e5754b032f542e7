/* attn-error.h: the ATTN_ERROR domain, and how messages name an example and
 * quote a file's text
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define ATTN_ERROR (attn_error_quark ())

/**
 * AttnError:
 * @ATTN_ERROR_PARSE: the file is not valid UTF-8 JSON (syntax, trailing data, nesting too deep)
 * @ATTN_ERROR_INVALID: a field is missing, has the wrong type or an invalid value
 * @ATTN_ERROR_SHAPE: shapes disagree with each other or with `tokens`, or overflow
 * @ATTN_ERROR_VALUE: a number is not finite, is negative, or a row sums to zero
 * @ATTN_ERROR_ENCODING: an encoded array (base64 or `.npy`) is malformed
 * @ATTN_ERROR_UNSUPPORTED: unknown format, version or dtype
 * @ATTN_ERROR_IO: a file could not be read or written
 * @ATTN_ERROR_ARGUMENT: a caller's selection or option is invalid (unknown example, head, layer)
 *
 * Error codes of the %ATTN_ERROR domain.
 */
typedef enum
{
  ATTN_ERROR_PARSE,
  ATTN_ERROR_INVALID,
  ATTN_ERROR_SHAPE,
  ATTN_ERROR_VALUE,
  ATTN_ERROR_ENCODING,
  ATTN_ERROR_UNSUPPORTED,
  ATTN_ERROR_IO,
  ATTN_ERROR_ARGUMENT,
} AttnError;

/* Messages name an example by at most this many characters of its id */
#define ATTN_ERROR_NAME_MAX_CHARS 64

GQuark      attn_error_quark             (void);
char       *attn_error_example_name      (const char *id,
                                          guint       index);
gboolean    attn_unichar_is_bidi_control (gunichar    c);
gboolean    attn_unichar_is_escaped      (gunichar    c);
char       *attn_error_escape_text       (const char *text,
                                          glong       max_chars);
const char *attn_error_escaped_cut       (const char *text,
                                          glong       chars,
                                          gboolean    after);
char       *attn_error_quote_text        (const char *text);
char       *attn_error_display_path      (const char *path);
char       *attn_error_format_size       (guint64     bytes);
char       *attn_error_display_file      (GFile      *file);

G_END_DECLS
