/** The reference model of the ranking server, and a fake ranking client built on it (tests only). */
export { ReferenceModel, type ModelAnswer, type ModelLimits } from './reference-model.js';
export { ModelRanking, type ModelCallOptions } from './model-ranking.js';
