// sync-core's ISPyB entities (internal: entities never leave sync-core). They are built per
// database from the schema package's declaration: refer to them by name (`em.create('Protein', …)`).
export {
  buildEntities,
  declaredColumns,
  ISPYB_ENTITY_NAMES,
  type IspybEntities,
  type IspybEntityName,
} from './build-entities.js';
