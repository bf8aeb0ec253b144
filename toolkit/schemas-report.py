#!/usr/bin/env python3
"""Writes report.schema.json (tokendyn.report/2) from the metric definitions in TextMetric.java.

Run from the toolkit folder after changing a metric: python3 schemas-report.py
A test (ReportSchemaTest) checks that every metric's description in the schema is the one in TextMetric.
"""
import json
import re

src = open('src/main/java/dev/tokendyn/metrics/TextMetric.java').read()
metrics = []
for m in re.finditer(r'\n  ([A-Z_0-9]+)\(Scope\.([A-Z]+), "([a-z_0-9]+)",\s*((?:"(?:[^"\\]|\\.)*"\s*\+?\s*)+)\)[,;]', src):
    desc = ''.join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(4)))
    metrics.append((m.group(2), m.group(3), desc.replace('\\"', '"')))

num = {"type": ["number", "null"]}
summary = {
    "type": "object",
    "properties": {
        "mean": dict(num, description="Mean over the texts where the metric is defined."),
        "sd": dict(num, description="Sample standard deviation over those texts (n - 1)."),
        "ci_low": dict(num, description="2.5th percentile of the seeded bootstrap means over texts."),
        "ci_high": dict(num, description="97.5th percentile of the seeded bootstrap means over texts."),
        "texts": {"type": "integer", "minimum": 0, "description": "Texts where the metric is defined."},
        "undefined": {"type": "integer", "minimum": 0, "description": "Texts where it is not (null for them)."},
        "scope": {"const": "per_text"},
    },
    "required": ["mean", "sd", "ci_low", "ci_high", "texts", "undefined"],
}
pooled_value = lambda d: {
    "type": "object", "description": d,
    "properties": {"value": num, "scope": {"const": "pooled"},
                   "sample": {"type": "integer", "minimum": 0, "description": "Tokens in the pooled sample."}},
    "required": ["value", "scope", "sample"]}

layer_props = {}
step_props = {}
seq_props = {}
for scope, name, desc in metrics:
    entry = {"$ref": "#/$defs/summary", "description": desc}
    {"LAYER": layer_props, "TRANSITION": step_props, "SEQUENCE": seq_props}[scope][name] = entry
layer_props["mean_cosine_adjusted"] = {"$ref": "#/$defs/summary", "description":
    "mean_cosine minus the layer's anisotropy_baseline: how much more a text's tokens agree than tokens of different texts (Ethayarajh 2019)."}
layer_props["intra_text_similarity_adjusted"] = {"$ref": "#/$defs/summary", "description":
    "intra_text_similarity minus the layer's anisotropy_baseline (Ethayarajh 2019)."}
step_props.update({
    "pooled_rotational_share": pooled_value("rotational_share of the step on the pooled sample of tokens."),
    "pooled_affine_r2": pooled_value("affine_r2 of the step on the pooled sample."),
    "pooled_w2": pooled_value("Exact W2 between the pooled samples at l and l+1 (uniform weights), embedding units."),
    "pooled_sinkhorn_divergence": pooled_value("Debiased Sinkhorn divergence (Feydy et al. 2019) between the pooled samples, squared embedding units."),
    "pooled_sinkhorn_reg": pooled_value("Its entropic regularisation: sinkhorn_scale x the median squared distance."),
    "pooled_sliced": pooled_value("Sliced W2 between the pooled samples (POT's sliced_wasserstein_distance), embedding units."),
    "sliced_all_tokens": {"type": "object", "additionalProperties": False,
        "required": ["value", "scope", "tokens", "bins"],
        "description": "Sliced W2 between layers l and l+1 over every measured token of the corpus, embedding units: each token projected on the same sliced_projections seeded directions as pooled_sliced, the projections binned as they stream past (at most `bins` dyadic bins per layer and direction, each narrower than 2/bins of the range), and each 1-D W2 taken between the binned distributions.",
        "properties": {"value": {"type": ["number", "null"]}, "scope": {"const": "all_tokens"},
                       "tokens": {"type": "integer", "minimum": 0, "description": "measured tokens per layer"},
                       "bins": {"type": "integer", "minimum": 1}}},
})
seq_props["pooled_geodesic_ratio"] = pooled_value("geodesic_ratio of the pooled sample: sum_l W2(mu_l, mu_{l+1}) / W2(mu_0, mu_L), >= 1.")

schema = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "urn:tokendyn:schema:report:2",
    "title": "tokendyn analyze: a model's layers measured per text over a corpus, aggregated, and pooled",
    "type": "object",
    "$defs": {"summary": summary},
    "properties": {
        "schema": {"const": "tokendyn.report/2"},
        "models": {"type": "array", "minItems": 1, "items": {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "info": {"type": "object", "description": "Where the weights came from and the model's shape."},
                "texts": {"type": "integer", "minimum": 1, "description": "Texts analysed."},
                "tokens": {"type": "integer", "minimum": 0, "description": "Their tokens, special tokens included."},
                "kept_tokens": {"type": "integer", "minimum": 0, "description": "The tokens measured."},
                "special_tokens": {"enum": ["drop", "keep"], "description": "Whether [CLS], [SEP], BOS/EOS were left out of every geometry measurement."},
                "params": {"type": "object", "description": "threshold, rotation_components, transport, pooled_sample (its size), sliced_projections, sinkhorn_scale, sinkhorn_stop_threshold (the pooled divergences' stopThr), bootstrap_resamples, seed, intrinsic_dimension_sample."},
                "undefined_texts": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0},
                                    "description": "For each per-text metric, the texts where it is null at some layer or step (too few tokens)."},
                "layers": {"type": "array", "description": "One entry per hidden state.", "items": {
                    "type": "object",
                    "properties": {
                        "layer": {"type": "integer"},
                        "site": {"type": "string", "description": "TransformerLens name of the hidden state."},
                        "metrics": {"type": "object", "properties": layer_props, "additionalProperties": False},
                    },
                    "required": ["layer", "site", "metrics"]}},
                "pooled": {"type": "array", "description": "Distribution-level values per layer, on the pooled tokens or the pooled sample.", "items": {
                    "type": "object",
                    "properties": {
                        "layer": {"type": "integer"},
                        "tokens": {"type": "integer", "description": "Pooled tokens behind the exact sums."},
                        "anisotropy_baseline": dict(num, description="Expected cosine between two tokens of different texts, exactly over all pooled tokens (Ethayarajh 2019)."),
                        "top3_dimension_share": dict(num, minimum=0, maximum=1, description="Share of the absolute per-dimension contributions to the across-text mean cosine carried by the 3 largest dimensions (Timkey and van Schijndel 2021)."),
                        "self_similarity": dict(num, description="Mean cosine between occurrences of the same token id in different texts, averaged over the most widespread words (Ethayarajh 2019)."),
                        "self_similarity_adjusted": dict(num, description="self_similarity minus anisotropy_baseline."),
                        "self_similarity_words": {"type": "integer", "minimum": 0, "description": "Words behind self_similarity."},
                        "intrinsic_dimension": {"type": "object", "description": "TwoNN (Facco et al. 2017) on the pooled sample (at most intrinsic_dimension_sample tokens), near-duplicates dropped, null below 1; with the decimation curve over disjoint subsets of n, n/2, n/4, ... and its plateau (null when no two consecutive sizes agree within 10%).",
                            "properties": {"value": num, "points": {"type": "integer"}, "dropped": {"type": "integer"},
                                           "reason": {"type": ["string", "null"]},
                                           "decimation_sizes": {"type": "array", "items": {"type": "integer"}},
                                           "decimation_values": {"type": "array", "items": num},
                                           "plateau": num}},
                    },
                    "required": ["layer", "anisotropy_baseline", "top3_dimension_share", "self_similarity"]}},
                "transitions": {"type": "array", "description": "One entry per step l -> l+1.", "items": {
                    "type": "object",
                    "properties": {
                        "from": {"type": "integer"}, "to": {"type": "integer"},
                        "metrics": {"type": "object", "properties": step_props, "additionalProperties": False},
                    },
                    "required": ["from", "to", "metrics"]}},
                "spreading": {"type": "object", "properties": seq_props, "additionalProperties": False},
            },
            "required": ["name", "texts", "tokens", "kept_tokens", "special_tokens", "layers", "pooled", "transitions", "spreading"]}},
        "plots": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["schema", "models", "plots"],
}
with open('src/main/resources/dev/tokendyn/schemas/report.schema.json', 'w') as f:
    json.dump(schema, f, indent=2)
    f.write('\n')
print(len(metrics), 'metrics')
