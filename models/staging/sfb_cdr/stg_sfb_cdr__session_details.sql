{{ latest_good_rows(
    ref('base_sfb_cdr__session_details'),
    keys=['session_id_time', 'session_id_seq'],
    columns=get_sfb_cdr__session_details_columns(),
    order_by='last_modified_time desc nulls last',
) }}
