/**
 * The harness lives in /harness (shared with bench/, which must not import
 * tests); the tests keep importing it from here.
 */
export * from '../../harness';
