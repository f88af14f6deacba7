// Types of dashboard.js (plain JavaScript, served to the browser as it is) for the tests.
export const ME_QUERY: string;
export const TEAMS_QUERY: string;
export const QUARTER_REPORT_QUERY: string;
export const REPORT_ROLES: string[];
export function esc(value: unknown): string;
export function previousQuarter(date?: Date): string;
export function count(value: number | null | undefined): string;
export function percent(share: number | null | undefined): string;
export function decimal(value: number | null | undefined, digits?: number): string;
export function label(enumValue: string): string;
export function renderReport(report: Record<string, any>, scopeLabel: string): string;
export function graphql(token: string, query: string, variables?: Record<string, unknown>): Promise<{ data?: any; errors?: { message: string; extensions?: { code?: string } }[] }>;
