-- One row per staged rejected line: copies a staging file written by SourceLoad (StagingFile's
-- dialect) into rejects. {source_id} and {file} are filled in by SourceLoad.
INSERT INTO rejects
SELECT {source_id}, line_no, reason, raw
FROM read_csv({file},
    delim = '\t', quote = '"', escape = '"', header = false, new_line = '\n',
    nullstr = '', allow_quoted_nulls = false, auto_detect = false, strict_mode = true,
    max_line_size = 1073741824,
    columns = {'line_no': 'BIGINT', 'reason': 'VARCHAR', 'raw': 'VARCHAR'})
