// The distributed read store: MongoDB (mongoose).
export * from './mongo-read-store';
