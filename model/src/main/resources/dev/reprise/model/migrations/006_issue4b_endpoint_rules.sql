-- issue 4b: which templating rule produced each part of each endpoint's template.

-- One row per endpoint, templated part and rule: `part` is what the rule made of a path segment (a
-- placeholder such as '{id}', or literal text from a user rule) or a query-parameter placeholder
-- ('{q}'); `rule` names the rule ('built-in numeric id', "template_rules priority 10 '[A-Z]{3}-[0-9]+'",
-- "query_params 'q,category'"); `requests` how many of the endpoint's requests it templated.
CREATE TABLE endpoint_rules (
    endpoint_id INTEGER NOT NULL,
    part        VARCHAR NOT NULL,
    rule        VARCHAR NOT NULL,
    requests    BIGINT NOT NULL
);
