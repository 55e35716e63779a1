/**
 * The part of PQS's schema the release reads, shaped like Digital Asset's: a template catalog (`__contract_tpe`),
 * packages with versions (`__packages`), transactions with offsets, contracts with created/archived offsets, and the
 * public `active(name)` function that resolves a template by any of its aliases (`pkg:Module:Entity`, `Module:Entity`,
 * `Entity`) and returns its active contracts.
 */

export const PQS_SCHEMA_SQL = `
create type __payload_type as enum ('template', 'interface');

create table __packages (
  pk      bigserial primary key,
  name    text not null,
  version text not null,
  id      text not null,
  unique (name, version)
);

create table __contract_tpe (
  pk           bigserial primary key,
  package_name text not null,
  module_name  text not null,
  entity_name  text not null,
  payload_type __payload_type not null default 'template',
  template_fqn text not null generated always as (package_name || ':' || module_name || ':' || entity_name) stored,
  aliases      text[] not null,
  unique (package_name, module_name, entity_name)
);

create table __transactions (
  ix           bigserial primary key,
  "offset"     text not null unique,
  effective_at timestamptz not null
);

create table __contracts (
  tpe_pk         bigint not null references __contract_tpe (pk),
  contract_id    text not null,
  package_pk     bigint not null references __packages (pk),
  created_at_ix  bigint not null references __transactions (ix),
  archived_at_ix bigint references __transactions (ix),
  payload        jsonb not null,
  primary key (tpe_pk, contract_id)
);
create index __contracts_active_idx on __contracts (tpe_pk) where archived_at_ix is null;

create function __contract_tpe4name(qname text) returns bigint
as $$
declare
  found bigint[];
begin
  select array_agg(pk) from __contract_tpe where qname = any (aliases) into found;
  if found is null then
    raise exception 'Template or interface % is not known to PQS', qname using errcode = 'P0002';
  end if;
  if array_length(found, 1) > 1 then
    raise exception 'Name % is ambiguous; use the fully qualified name package:Module:Entity', qname using errcode = 'P0003';
  end if;
  return found[1];
end;
$$ language plpgsql stable;

create function latest_offset() returns text
as $$ select "offset" from __transactions order by ix desc limit 1 $$ language sql stable;

create function active(qname text default null)
  returns table (template_fqn text, contract_id text, package_name text, package_version text, package_id text,
                 created_at_offset text, created_effective_at timestamptz, payload jsonb)
as $$
  select t.template_fqn, c.contract_id, p.name, p.version, p.id, tx."offset", tx.effective_at, c.payload
  from __contracts c
         join __contract_tpe t on t.pk = c.tpe_pk
         join __packages p on p.pk = c.package_pk
         join __transactions tx on tx.ix = c.created_at_ix
  where c.archived_at_ix is null
    and (qname is null or c.tpe_pk = (select __contract_tpe4name(qname)))
$$ language sql stable;
`;
