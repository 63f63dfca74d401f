"""drf-spectacular post-processing: document the errors every cursor-paginated list can answer.

DRF answers 404 {"detail": "Invalid cursor"} for a cursor it did not issue, and
django-filter answers 400 {field: [messages]} for a filter value it cannot read
(e.g. a NUL character). drf-spectacular lists only the 200 of a list operation; the
fuzzing test (tests/security/test_api_fuzz.py) holds every real answer to the schema.
"""

LIST_ERRORS = {
    "400": {
        "description": "A filter value is invalid; each offending parameter is named with its messages.",
        "content": {"application/json": {"schema": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}}},
    },
    "404": {
        "description": "The cursor is not one this API issued.",
        "content": {"application/json": {"schema": {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}}},
    },
}


def document_list_errors(result, generator, request, public):
    for operations in result.get("paths", {}).values():
        operation = operations.get("get")
        if operation is None or not any(p.get("name") == "cursor" and p.get("in") == "query" for p in operation.get("parameters", [])):
            continue
        for status, response in LIST_ERRORS.items():
            operation["responses"].setdefault(status, response)
    return result
