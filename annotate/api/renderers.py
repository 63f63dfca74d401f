"""Renderers: JSON with rows the database built, JSON-LD, and the streamed export formats."""

import json

from rest_framework.renderers import BaseRenderer, JSONRenderer

from annotate.exports.webannotation import ANNO_CONTENT_TYPE


class PreRendered(str):
    """JSON text built by the database (annotate/sqljson.py), spliced into the response as is."""


class FastJSONRenderer(JSONRenderer):
    """JSONRenderer that writes PreRendered values (the whole body, or top-level values) verbatim."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, PreRendered):
            return data.encode("utf-8")
        if isinstance(data, dict) and any(isinstance(value, PreRendered) for value in data.values()):

            def encode(value):
                if isinstance(value, PreRendered):
                    return value
                return json.dumps(value, cls=self.encoder_class, ensure_ascii=False, allow_nan=False, separators=(",", ":"))

            return ("{" + ",".join(f"{encode(key)}:{encode(value)}" for key, value in data.items()) + "}").encode("utf-8")
        return super().render(data, accepted_media_type, renderer_context)


class JSONLDRenderer(JSONRenderer):
    """schema.org JSON-LD (ClaimReview)."""

    media_type = "application/ld+json"
    format = "jsonld"


class AnnotationRenderer(JSONRenderer):
    """W3C Web Annotation JSON-LD.

    The protocol's Content-Type carries a profile parameter. DRF would only match an Accept
    header carrying the very same parameter against a renderer declaring it, so the renderer
    declares plain application/ld+json and adds the profile to the response itself.
    """

    media_type = "application/ld+json"
    format = "jsonld"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code < 400:
            response["Content-Type"] = ANNO_CONTENT_TYPE
        return super().render(data, accepted_media_type, renderer_context)


class _StreamRenderer(BaseRenderer):
    """Lets content negotiation accept a streamed format; the view writes the body itself."""

    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):  # pragma: no cover - never called
        raise NotImplementedError("Streamed formats are written by the view.")


class CSVStreamRenderer(_StreamRenderer):
    media_type = "text/csv"
    format = "csv"


class JSONLinesStreamRenderer(_StreamRenderer):
    media_type = "application/x-ndjson"
    format = "jsonl"


class JSONStreamRenderer(_StreamRenderer):
    media_type = "application/json"
    format = "json"
