// sync-core's ISPyB entities (internal: entities never leave sync-core). They are built per
// database from the schema package's declaration: find them through the sync's context (`entityOf(ctx, 'proteins')`).
export {
  buildEntities,
  columnDefaults,
  declaredColumns,
  ISPYB_ENTITY_NAMES,
  type IspybEntities,
  type IspybEntityName,
  idColumnOf,
} from './build-entities.js';
export type { IspybDb, Row } from './ispyb-rows.js';
