// China's administrative divisions (provinces and their cities) from GET /divisions, the list
// the server validates account addresses against. Loaded once per page load and shared by
// every picker; while loading, or when the server has no list, pickers fall back to free text.
import { useEffect, useState } from 'react';
import { api } from '../api/client';

export interface City {
  code: string;
  name: string;
}

export interface Province {
  code: string;
  name: string;
  cities: City[];
}

let cache: Promise<Province[]> | null = null;

export function loadDivisions(): Promise<Province[]> {
  if (!cache) {
    cache = api
      .get<{ items: Province[] }>('/divisions')
      .then((body) => (Array.isArray(body?.items) ? body.items : []))
      .catch((error) => {
        cache = null; // try again next time
        throw error;
      });
  }
  return cache;
}

/** Test hook: forget the loaded list. */
export function resetDivisionsCache(): void {
  cache = null;
}

/** The provinces (empty until loaded, and when the server has no list). */
export function useDivisions(): Province[] {
  const [provinces, setProvinces] = useState<Province[]>([]);
  useEffect(() => {
    let alive = true;
    loadDivisions()
      .then((list) => {
        if (alive) setProvinces(list);
      })
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, []);
  return provinces;
}

/** The cities of `province` by name ([] when unknown). */
export function citiesOf(provinces: Province[], province: string | undefined): City[] {
  if (!province) return [];
  return provinces.find((p) => p.name === province)?.cities ?? [];
}

/**
 * Checks a province/city pair against the list: null when fine (or when the list is not
 * loaded), 'province' or 'city' naming the part that is not a known division.
 */
export function divisionProblem(provinces: Province[], province: string, city: string): 'province' | 'city' | null {
  if (provinces.length === 0) return null;
  const p = province ? provinces.find((item) => item.name === province) : undefined;
  if (province && !p) return 'province';
  if (city && p && !p.cities.some((c) => c.name === city)) return 'city';
  return null;
}
