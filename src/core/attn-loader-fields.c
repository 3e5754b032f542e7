/* attn-loader-fields.c: the fields of one example, besides its tensors
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "attn-loader-private.h"

gboolean
_attn_loader_load_tokens (Loader       *self,
                          AttnExample  *example,
                          JsonObject   *object,
                          GError      **error)
{
  JsonNode *node = json_object_get_member (object, "tokens");
  JsonArray *array;
  guint n;

  if (node == NULL)
    return _attn_loader_missing_error (error, example, object, "tokens");
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return _attn_loader_field_error (error, ATTN_ERROR_INVALID, example, "tokens",
                                     _("expected an array of strings, found %s"),
                                     _attn_loader_node_kind (self, node));

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n == 0)
    return _attn_loader_field_error (error, ATTN_ERROR_INVALID, example, "tokens",
                                     _("empty: an example needs at least one token"));

  example->tokens = g_new0 (char *, (gsize) n + 1);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *token = json_array_get_element (array, i);
      const char *s;
      gsize length;

      if (!_attn_loader_read_string (self, token, &s, &length))
        return _attn_loader_is_bad_string (self, token)
               ? _attn_loader_field_error (error, ATTN_ERROR_INVALID, example, "tokens",
                                           _("token %u is not valid UTF-8"), i)
               : _attn_loader_field_error (error, ATTN_ERROR_INVALID, example, "tokens",
                                           _("token %u is %s, not a string"), i,
                                           _attn_loader_node_kind (self, token));
      if (_attn_loader_has_nul (self, s, length))
        return _attn_loader_field_error (error, ATTN_ERROR_INVALID, example, "tokens",
                                         _("token %u holds a NUL character (\\u0000)"), i);
      example->tokens[i] = g_strndup (s, length);
    }
  example->n_tokens = n;
  return TRUE;
}

/* A token given by its text where its index belongs (the exporter's
 * sentences name the focus so: "focus": "his"), or an index in quotes (both
 * where a token's text is a number): which index is meant, or NULL when
 * @node is neither. */
static char *
token_text_hint (Loader            *self,
                 const AttnExample *example,
                 JsonNode          *node)
{
  g_autofree char *problem = NULL;
  g_autofree char *text = NULL;
  g_autofree char *shown = NULL;
  const char *s;
  gsize length;
  guint n_found = 0, first = 0;
  gint64 index;

  if (JSON_NODE_TYPE (node) != JSON_NODE_VALUE || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  problem = _attn_loader_check_string (self, node, &s, &length);
  if (problem != NULL)
    return NULL;
  text = g_strndup (s, length);
  for (guint i = 0; i < example->n_tokens; i++)
    if (g_str_equal (example->tokens[i], text) && n_found++ == 0)
      first = i;
  shown = attn_error_quote_text (text);
  if (n_found > 0 && g_ascii_string_to_signed (text, 10, 0, G_MAXINT64, &index, NULL))
    /* translators: an index as the file gave it, in quotes, then the index of
     * the (first) token whose text that is, then that text */
    return g_strdup_printf (_("write the index as a number, without quotes: %s, or %u for the "
                              "token “%s”"), shown, first, shown);
  if (n_found == 1)
    /* translators: a token's text, then its index twice */
    return g_strdup_printf (_("“%s” is token %u: give %u"), shown, first, first);
  if (n_found > 1)
    /* translators: a token's text, how many tokens are that text, the first one's index */
    return g_strdup_printf (_("“%s” is %u of the tokens, the first token %u: give the index of "
                              "the one meant"), shown, n_found, first);
  if (g_ascii_string_to_signed (text, 10, 0, G_MAXINT64, &index, NULL))
    /* translators: an index as the file gave it, in quotes */
    return g_strdup_printf (_("write the index as a number, without quotes: %s"), shown);
  return NULL;
}

gboolean
_attn_loader_load_focus (Loader       *self,
                         AttnExample  *example,
                         JsonObject   *object,
                         GError      **error)
{
  JsonNode *node = json_object_get_member (object, "focus");
  g_autofree char *shown = NULL;
  gint64 focus = 0;

  example->focus = 0;
  if (node == NULL)
    return TRUE;

  switch (_attn_loader_read_integer (self, node, &focus))
    {
    case INTEGER_OK:
      if (focus >= 0 && focus < example->n_tokens)
        {
          example->focus = (guint) focus;
          return TRUE;
        }
      G_GNUC_FALLTHROUGH;
    case INTEGER_TOO_LARGE:
      shown = _attn_loader_number_text (self, node);
      return _attn_loader_field_error (error, ATTN_ERROR_INVALID, example, "focus",
                                       _("%s is not a token index (0 to %u)"), shown,
                                       example->n_tokens - 1);
    case INTEGER_FRACTION:
      shown = _attn_loader_number_text (self, node);
      return _attn_loader_field_error (error, ATTN_ERROR_INVALID, example, "focus",
                                       _("expected a token index (an integer), found %s"), shown);
    case INTEGER_NOT_NUMBER:
    default:
      shown = token_text_hint (self, example, node);
      if (shown != NULL)
        /* translators: what a token's text or a quoted index means */
        return _attn_loader_field_error (error, ATTN_ERROR_INVALID, example, "focus",
                                         _("expected a token index, found a string (%s)"), shown);
      return _attn_loader_field_error (error, ATTN_ERROR_INVALID, example, "focus",
                                       _("expected a token index, found %s"),
                                       _attn_loader_node_kind (self, node));
    }
}

/* ---------------------------------------------------------------------- */
/* prediction                                                              */

G_GNUC_PRINTF (3, 4)
static void
pending_error (PendingCandidates *pending,
               AttnError          code,
               const char        *format,
               ...)
{
  va_list args;

  if (pending->detail != NULL)
    return;
  va_start (args, format);
  pending->detail = g_strdup_vprintf (format, args);
  va_end (args);
  pending->code = code;
}

/* One element of a candidates array, the @index-th. */
static void
read_candidate (Loader            *self,
                JsonNode          *node,
                guint              index,
                PendingCandidates *pending)
{
  JsonObject *candidate;
  JsonNode *probability, *label;
  AttnCandidate entry = { NULL, 0. };
  const char *s;
  gsize length;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      pending_error (pending, ATTN_ERROR_INVALID, _("candidate %u is %s, not an object"), index,
                     _attn_loader_node_kind (self, node));
      return;
    }
  candidate = json_node_get_object (node);

  probability = json_object_get_member (candidate, "probability");
  /* what was found instead: none, or not a number */
  if (probability == NULL)
    {
      pending_error (pending, ATTN_ERROR_INVALID,
                     /* translators: a candidate's index */
                     _("candidate %u has no “probability”: expected a number from 0 to 1"), index);
      return;
    }
  if (!_attn_loader_read_number (self, probability, &entry.probability))
    {
      /* translators: a candidate's index, then what its probability is (“a string”) */
      pending_error (pending, ATTN_ERROR_INVALID,
                     _("candidate %u has a “probability” that is %s: expected a number from 0 to 1"),
                     index, _attn_loader_node_kind (self, probability));
      return;
    }
  if (!isfinite (entry.probability))
    {
      pending_error (pending, ATTN_ERROR_INVALID,
                     _("candidate %u needs a finite number “probability”"), index);
      return;
    }
  if (entry.probability < 0. || entry.probability > 1.)
    {
      /* translators: a candidate's index and its probability */
      pending_error (pending, ATTN_ERROR_VALUE,
                     _("candidate %u has the probability %g; a probability is from 0 to 1"),
                     index, entry.probability);
      return;
    }

  label = json_object_get_member (candidate, "label");
  if (label == NULL)
    {
      pending_error (pending, ATTN_ERROR_INVALID, _("candidate %u has no “label”"), index);
      return;
    }
  if (!_attn_loader_read_string (self, label, &s, &length))
    {
      if (_attn_loader_is_bad_string (self, label))
        pending_error (pending, ATTN_ERROR_INVALID, _("candidate %u has a “label” that is not valid UTF-8"),
                       index);
      else
        pending_error (pending, ATTN_ERROR_INVALID, _("candidate %u has a “label” that is %s, not a string"),
                       index, _attn_loader_node_kind (self, label));
      return;
    }
  if (_attn_loader_has_nul (self, s, length))
    {
      pending_error (pending, ATTN_ERROR_INVALID,
                     _("candidate %u has a “label” holding a NUL character (\\u0000)"), index);
      return;
    }

  entry.label = g_strndup (s, length);
  g_array_append_val (pending->candidates, entry);
}

/* Reads the elements of @array from @first on into @pending (stopping at the
 * first error, which it keeps). */
void
_attn_loader_read_candidates (Loader            *self,
                              JsonArray         *array,
                              guint              first,
                              PendingCandidates *pending)
{
  for (guint i = first; i < json_array_get_length (array) && pending->detail == NULL; i++)
    read_candidate (self, json_array_get_element (array, i), pending->n_seen++, pending);
}

gboolean
_attn_loader_load_prediction (Loader       *self,
                              AttnExample  *example,
                              JsonObject   *object,
                              GError      **error)
{
  JsonNode *node = json_object_get_member (object, "prediction");
  AttnExampleExtras *extras;
  JsonObject *prediction;
  JsonNode *candidates_node;
  JsonArray *candidates;
  PendingCandidates *pending;
  char *label = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return _attn_loader_field_error (error, ATTN_ERROR_INVALID, example, "prediction",
                                     _("expected an object, found %s"),
                                     _attn_loader_node_kind (self, node));
  prediction = json_node_get_object (node);

  if (!_attn_loader_dup_string_member (self, prediction, "label", example,
                                       "prediction.label", &label, error))
    return FALSE;
  extras = _attn_example_get_extras (example);
  extras->prediction_label = label;

  candidates_node = json_object_get_member (prediction, "candidates");
  if (candidates_node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (candidates_node))
    return _attn_loader_field_error (error, ATTN_ERROR_INVALID, example, "prediction.candidates",
                                     _("expected an array, found %s"),
                                     _attn_loader_node_kind (self, candidates_node));

  /* read while json-glib parsed the array, or now */
  candidates = json_node_get_array (candidates_node);
  pending = _attn_loader_take_candidates (self, candidates);
  if (pending == NULL)
    {
      pending = _attn_loader_pending_new ();
      _attn_loader_read_candidates (self, candidates, 0, pending);
    }

  if (pending->detail != NULL)
    {
      _attn_loader_field_error (error, pending->code, example, "prediction.candidates",
                                "%s", pending->detail);
      _attn_loader_pending_free (pending);
      return FALSE;
    }

  g_array_unref (extras->candidates);
  extras->candidates = g_steal_pointer (&pending->candidates);
  pending->candidates = g_array_new (FALSE, FALSE, 1);
  _attn_loader_pending_free (pending);
  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* references                                                              */

/* The numbers of a reference vector, nested JSON or an array the scan read,
 * as a new reference; NULL when it is anything but an array of finite
 * numbers (or an entry of the scan's array is not a number). */
static AttnReference *
plain_reference (Loader     *self,
                 const char *name,
                 JsonNode   *node)
{
  Blob *dense = _attn_loader_lookup_dense (self, node);
  JsonArray *vector = NULL;
  AttnReference *reference;
  double *values;
  gsize length;

  if (dense != NULL)
    {
      if (dense->rank != 1)
        return NULL;
      length = dense->dims[1];
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    length = json_array_get_length (vector = json_node_get_array (node));
  else
    return NULL;

  reference = _attn_reference_new (name, length);
  values = _attn_reference_values (reference);
  if (dense != NULL)
    {
      memcpy (values, dense->values, length * sizeof (double));
      g_clear_pointer (&dense->values, g_free);
    }
  for (gsize i = 0; i < length; i++)
    if ((vector != NULL &&
         !_attn_loader_read_number (self, json_array_get_element (vector, (guint) i), &values[i])) ||
        !isfinite (values[i]))
      {
        g_free (reference);
        return NULL;
      }

  return reference;
}

/* Called as json-glib completes a member of a `references` object: a plain
 * array of numbers becomes a reference at once and leaves json-glib's tree.
 * Returns FALSE (the member stays, for read_reference()'s precise error)
 * for anything else. */
gboolean
_attn_loader_stream_reference (Loader            *self,
                               const char        *name,
                               JsonNode          *node,
                               PendingReferences *pending)
{
  AttnReference *reference;

  if (!g_utf8_validate (name, -1, NULL) || (reference = plain_reference (self, name, node)) == NULL)
    return FALSE;
  g_ptr_array_add (pending->references, reference);
  return TRUE;
}

/* The reference @field has @length values, not one per token. */
static void
length_error (AttnExample  *example,
              const char   *field,
              gsize         length,
              GError      **error)
{
  _attn_loader_field_error (error, ATTN_ERROR_SHAPE, example, field,
                            g_dngettext (GETTEXT_PACKAGE,
                                         "has %u entry, expected %u: one per token, and “tokens” has %u",
                                         "has %u entries, expected %u: one per token, and “tokens” has %u",
                                         length),
                            (guint) length, example->n_tokens, example->n_tokens);
}

/* One reference vector, or NULL with @error set. */
static AttnReference *
read_reference (Loader         *self,
                AttnExample    *example,
                const char     *name,
                JsonNode       *node,
                GError        **error)
{
  g_autofree char *field = g_strdup_printf ("references.%s", name);
  guint n = example->n_tokens;
  Blob *dense = _attn_loader_lookup_dense (self, node);
  JsonArray *vector = NULL;
  AttnReference *reference;
  gsize length;

  if (dense == NULL && !JSON_NODE_HOLDS_ARRAY (node))
    {
      _attn_loader_field_error (error, ATTN_ERROR_INVALID, example, field,
                                g_dngettext (GETTEXT_PACKAGE,
                                             "expected an array of %u number, found %s",
                                             "expected an array of %u numbers, found %s", n),
                                n,
                                _attn_loader_node_kind (self, node));
      return NULL;
    }

  if (dense != NULL)
    length = dense->dims[1];
  else
    length = json_array_get_length (vector = json_node_get_array (node));
  if (length != n)
    {
      length_error (example, field, length, error);
      return NULL;
    }

  if (dense != NULL && dense->rank != 1)
    {
      _attn_loader_field_error (error, ATTN_ERROR_INVALID, example, field,
                                _("entry %u is %s, not a number"), 0, _("an array"));
      return NULL;
    }

  for (guint i = 0; i < n; i++)
    {
      double value = dense != NULL ? dense->values[i] : 0.;

      if (vector != NULL)
        {
          JsonNode *entry = json_array_get_element (vector, i);

          if (!_attn_loader_read_number (self, entry, &value))
            {
              _attn_loader_field_error (error, ATTN_ERROR_INVALID, example, field,
                                        _("entry %u is %s, not a number"), i,
                                        _attn_loader_node_kind (self, entry));
              return NULL;
            }
        }
      if (!isfinite (value))
        {
          _attn_loader_field_error (error, ATTN_ERROR_VALUE, example, field,
                                    _("entry %u is not finite"), i);
          return NULL;
        }
    }

  reference = plain_reference (self, name, node);
  g_assert (reference != NULL);
  return reference;
}

gboolean
_attn_loader_load_references (Loader       *self,
                              AttnExample  *example,
                              JsonObject   *object,
                              GError      **error)
{
  JsonNode *node = json_object_get_member (object, "references");
  JsonObject *references;
  PendingReferences *pending;
  GPtrArray *kept;
  g_autoptr(GList) names = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return _attn_loader_field_error (error, ATTN_ERROR_INVALID, example, "references",
                                     _("expected an object, found %s"),
                                     _attn_loader_node_kind (self, node));

  references = json_node_get_object (node);
  kept = _attn_example_get_extras (example)->references;

  /* the members read while json-glib parsed them (in file order, before the
   * ones that stayed in the object) only wait for their length check */
  pending = _attn_loader_take_references (self, references);
  if (pending != NULL)
    {
      for (guint i = 0; i < pending->references->len; i++)
        {
          AttnReference *reference = g_ptr_array_index (pending->references, i);

          if (reference->n_values != example->n_tokens)
            {
              g_autofree char *field = g_strdup_printf ("references.%s",
                                                        _attn_reference_name (reference));

              length_error (example, field, reference->n_values, error);
              _attn_loader_pending_references_free (pending);
              return FALSE;
            }
        }
      for (guint i = 0; i < pending->references->len; i++)
        g_ptr_array_add (kept, g_ptr_array_index (pending->references, i));
      g_ptr_array_set_free_func (pending->references, NULL);
      _attn_loader_pending_references_free (pending);
    }

  names = json_object_get_members (references); /* in file order */
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;
      AttnReference *reference;

      if (!g_utf8_validate (name, -1, NULL))
        return _attn_loader_field_error (error, ATTN_ERROR_INVALID, example, "references",
                                         _("a name is not valid UTF-8"));

      reference = read_reference (self, example, name, json_object_get_member (references, name),
                                  error);
      if (reference == NULL)
        return FALSE;
      g_ptr_array_add (kept, reference);
    }

  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* antecedents                                                             */

/* One entry of `antecedents`: a token index other than the focus, not seen
 * before. */
static gboolean
read_antecedent (Loader       *self,
                 AttnExample  *example,
                 JsonNode     *entry,
                 guint         i,
                 guint        *indices,
                 GError      **error)
{
  g_autofree char *shown = NULL;
  gint64 index = 0;

  switch (_attn_loader_read_integer (self, entry, &index))
    {
    case INTEGER_OK:
      if (index >= 0 && index < example->n_tokens)
        break;
      G_GNUC_FALLTHROUGH;
    case INTEGER_TOO_LARGE:
    case INTEGER_FRACTION:
      shown = _attn_loader_number_text (self, entry);
      return _attn_loader_field_error (error, ATTN_ERROR_INVALID, example, "antecedents",
                                       _("entry %u, %s, is not a token index (0 to %u)"), i, shown,
                                       example->n_tokens - 1);
    case INTEGER_NOT_NUMBER:
    default:
      shown = token_text_hint (self, example, entry);
      if (shown != NULL)
        /* translators: an entry, then what a token's text or a quoted index means */
        return _attn_loader_field_error (error, ATTN_ERROR_INVALID, example, "antecedents",
                                         _("entry %u is a string, not a token index (%s)"), i, shown);
      return _attn_loader_field_error (error, ATTN_ERROR_INVALID, example, "antecedents",
                                       _("entry %u is %s, not a token index"), i,
                                       _attn_loader_node_kind (self, entry));
    }

  /* the pronoun is no candidate antecedent of its own */
  if ((guint) index == example->focus)
    return _attn_loader_field_error (error, ATTN_ERROR_INVALID, example, "antecedents",
                                     _("entry %u is token %u, the “focus” itself: the candidates are other tokens"),
                                     i, example->focus);
  for (guint j = 0; j < i; j++)
    if (indices[j] == (guint) index)
      return _attn_loader_field_error (error, ATTN_ERROR_INVALID, example, "antecedents",
                                       _("entry %u repeats token %u (entry %u)"), i, indices[j], j);

  indices[i] = (guint) index;
  return TRUE;
}

/* `antecedents`: the token indices of the candidate antecedents of a pronoun
 * focus, the one the sentence's meaning selects first. */
gboolean
_attn_loader_load_antecedents (Loader       *self,
                               AttnExample  *example,
                               JsonObject   *object,
                               GError      **error)
{
  JsonNode *node = json_object_get_member (object, "antecedents");
  g_autofree guint *indices = NULL;
  AttnExampleExtras *extras;
  JsonArray *array;
  guint n;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return _attn_loader_field_error (error, ATTN_ERROR_INVALID, example, "antecedents",
                                     _("expected an array of token indices, found %s"),
                                     _attn_loader_node_kind (self, node));

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n == 0)
    return _attn_loader_field_error (error, ATTN_ERROR_INVALID, example, "antecedents",
                                     _("empty: name at least the antecedent the sentence selects"));

  indices = g_new (guint, n);
  for (guint i = 0; i < n; i++)
    if (!read_antecedent (self, example, json_array_get_element (array, i), i, indices, error))
      return FALSE;

  extras = _attn_example_get_extras (example);
  extras->antecedents = g_steal_pointer (&indices);
  extras->n_antecedents = n;
  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* contributions                                                           */

/* The kinds a file may give, for the message about one it may not. */
static char *
known_kinds (void)
{
  return attn_weight_kinds_join (((1u << ATTN_N_WEIGHT_KINDS) - 1) & ~(1u << ATTN_WEIGHT_KIND_ATTENTION), ", ");
}

/* One kind of contributions: read in any encoding, then validated like the
 * attention (finite, non-negative, no row that sums to zero or cannot be
 * renormalised), without renormalising it. */
static gboolean
load_contribution (Loader       *self,
                   AttnExample  *example,
                   const char   *name,
                   JsonNode     *node,
                   GError      **error)
{
  g_autofree char *field = g_strdup_printf ("contributions.%s", name);
  AttnExampleExtras *extras;
  AttnWeightKind kind;
  AttnTensor *tensor;
  AttnRenormalised renormalised;

  /* a file's keys are its data: spelled as the kinds are (“NORM” is not one) */
  if (!attn_weight_kind_from_name (name, &kind) || kind == ATTN_WEIGHT_KIND_ATTENTION ||
      !g_str_equal (name, attn_weight_kind_get_name (kind)))
    {
      g_autofree char *known = known_kinds ();
      g_autofree char *shown = attn_error_quote_text (name);

      return _attn_loader_field_error (error, ATTN_ERROR_UNSUPPORTED, example, "contributions",
                                       _("unknown kind “%s” (known: %s)"), shown, known);
    }

  extras = _attn_example_get_extras (example);
  tensor = extras->contributions[kind] = g_new0 (AttnTensor, 1);

  return _attn_loader_load_tensor (self, example, tensor, field, node, error) &&
         !g_cancellable_set_error_if_cancelled (self->cancellable, error) &&
         _attn_tensor_validate (example, tensor, field, FALSE, &renormalised, error);
}

/* `contributions`: {"KIND": ARRAY, ...} (after the attention, whose L and n
 * every kind must have). */
static gboolean
load_contributions_object (Loader       *self,
                           AttnExample  *example,
                           JsonObject   *object,
                           GError      **error)
{
  JsonNode *node = json_object_get_member (object, "contributions");
  g_autoptr(GList) names = NULL;
  JsonObject *contributions;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return _attn_loader_field_error (error, ATTN_ERROR_INVALID, example, "contributions",
                                     _("expected an object such as {\"norm\": [...]}, found %s"),
                                     _attn_loader_node_kind (self, node));

  contributions = json_node_get_object (node);
  names = json_object_get_members (contributions);
  if (names == NULL)
    {
      g_autofree char *known = known_kinds ();

      return _attn_loader_field_error (error, ATTN_ERROR_INVALID, example, "contributions",
                                       _("empty: give at least one kind (%s), or leave the field out"),
                                       known);
    }

  for (GList *l = names; l != NULL; l = l->next)
    if (!load_contribution (self, example, l->data,
                            json_object_get_member (contributions, l->data), error))
      return FALSE;

  return TRUE;
}

/* `contributions` and `contributions_target`, what the gradient of attn-grad
 * was taken for: of an example without attn-grad it names nothing shown, and
 * is left out with a warning (once per file: load_root()) */
gboolean
_attn_loader_load_contributions (Loader       *self,
                                 AttnExample  *example,
                                 JsonObject   *object,
                                 GError      **error)
{
  g_autofree char *target = NULL;

  if (!_attn_loader_dup_string_member (self, object, "contributions_target", example, NULL,
                                       &target, error) ||
      !load_contributions_object (self, example, object, error))
    return FALSE;
  if (target == NULL)
    return TRUE;
  if (attn_example_has_weights (example, ATTN_WEIGHT_KIND_ATTN_GRAD))
    _attn_example_get_extras (example)->contributions_target = g_steal_pointer (&target);
  else if (self->n_stray_targets++ == 0)
    self->stray_target = attn_error_example_name (example->id, example->index);
  return TRUE;
}
