import { describe, expect, it } from 'vitest';
import { servedApiVersionsFor } from '../../tools/lib/schema/api-catalog.ts';

describe('servedApiVersionsFor', () => {
  it('names core kinds by their bare version', () => {
    expect(servedApiVersionsFor('Pod', 33)).toEqual(['v1']);
    expect(servedApiVersionsFor('Deployment', 33)).toEqual(['apps/v1']);
  });
});
