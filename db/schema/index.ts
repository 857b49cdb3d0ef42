export * from './members';
export * from './auth';
export * from './resources';
export * from './bookings';
export * from './closings';
export * from './feeds';
export * from './costs';
export * from './invoices';
