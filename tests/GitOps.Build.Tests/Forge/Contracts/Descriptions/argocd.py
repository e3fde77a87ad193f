"""Reassembles Argo CD's extracted operation (sources/argocd-ops.json: GET /api/v1/applications/{name} and the
v1alpha1Application schema parts it returns, cut from argoproj/argo-cd assets/swagger.json at the commit in its
`source` block) into a Swagger 2 document the contract server reads: argocd.json. Run from this folder."""
import json

ops = json.load(open("sources/argocd-ops.json"))
op = ops["operation"]
doc = {
    "swagger": "2.0",
    "info": {"title": "Consolidate Services", "version": "version not set"},
    "consumes": ["application/json"],
    "produces": ["application/json"],
    "x-source": {**ops["source"], "operations": [f'{op["method"]} {op["path"]}'],
                 "read_as": "the operation and the schemas it reaches, extracted into sources/argocd-ops.json (shared reference), reassembled by argocd.py"},
    "paths": {op["path"]: {op["method"].lower(): {
        "operationId": op["operationId"],
        "parameters": op["parameters"],
        "responses": {
            "200": {"description": "A successful response.", "schema": {"$ref": "#/definitions/" + op["responses"]["200"]}},
            "default": {"description": "An unexpected error response.", "schema": {"$ref": "#/definitions/" + op["responses"]["default"]}},
        },
    }}},
    "definitions": ops["definitions"],
}
with open("argocd.json", "w") as out:
    json.dump(doc, out, indent=1, sort_keys=True)
    out.write("\n")
