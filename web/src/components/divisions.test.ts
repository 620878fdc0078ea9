import { describe, expect, it } from 'vitest';
import { citiesOf, divisionProblem, type Province } from './divisions';

const provinces: Province[] = [
  { code: '110000', name: '北京市', cities: [{ code: '110100', name: '北京市' }] },
  {
    code: '440000',
    name: '广东省',
    cities: [
      { code: '440100', name: '广州市' },
      { code: '440300', name: '深圳市' },
    ],
  },
];

describe('divisions', () => {
  it('lists the cities of a province', () => {
    expect(citiesOf(provinces, '广东省').map((c) => c.name)).toEqual(['广州市', '深圳市']);
    expect(citiesOf(provinces, '火星')).toEqual([]);
    expect(citiesOf(provinces, undefined)).toEqual([]);
  });

  it('checks a province/city pair, municipalities included', () => {
    expect(divisionProblem(provinces, '广东省', '深圳市')).toBeNull();
    expect(divisionProblem(provinces, '北京市', '北京市')).toBeNull();
    expect(divisionProblem(provinces, '广东省', '')).toBeNull();
    expect(divisionProblem(provinces, '', '')).toBeNull();
    expect(divisionProblem(provinces, '广东', '深圳市')).toBe('province');
    expect(divisionProblem(provinces, '北京市', '深圳市')).toBe('city');
  });

  it('leaves the check to the server while the list is not loaded', () => {
    expect(divisionProblem([], '火星', '奥林匹斯')).toBeNull();
  });
});
