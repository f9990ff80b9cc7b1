-- One row per staged request: copies a staging file written by SourceLoad (StagingFile's dialect:
-- tab-separated, "-quoted, NULL = empty field, ts as epoch microseconds) into requests.
-- {source_id} and {file} are filled in by SourceLoad.
INSERT INTO requests
SELECT {source_id}, line_no, make_timestamptz(ts_us), client, session_hint, method, path, query, protocol,
       status, bytes, duration_ms, upstream_ms, referer, user_agent, host, extra
FROM read_csv({file},
    delim = '\t', quote = '"', escape = '"', header = false, new_line = '\n',
    nullstr = '', allow_quoted_nulls = false, auto_detect = false, strict_mode = true,
    max_line_size = 1073741824,
    columns = {'line_no': 'BIGINT', 'ts_us': 'BIGINT', 'client': 'VARCHAR', 'session_hint': 'VARCHAR',
               'method': 'VARCHAR', 'path': 'VARCHAR', 'query': 'VARCHAR', 'protocol': 'VARCHAR',
               'status': 'SMALLINT', 'bytes': 'BIGINT', 'duration_ms': 'DOUBLE', 'upstream_ms': 'DOUBLE',
               'referer': 'VARCHAR', 'user_agent': 'VARCHAR', 'host': 'VARCHAR', 'extra': 'VARCHAR'})
